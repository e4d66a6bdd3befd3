"""Tests for the GB/T 9704-2012 Word writer.

The expected values are the standard's numbers (mm, pt, 字) written out here, not read back from
the module, so a change to a constant that breaks the format fails the suite. Documents are
reopened with python-docx and checked at the XML level, because what matters is what Word reads:
the East Asian font slot, the character-unit indents and the odd/even footers have no python-docx
API to read them back.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Pt
from docx.text.paragraph import Paragraph

from duban.lib.officedoc import OfficialDocument, chinese_date, chinese_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def render(doc: OfficialDocument) -> DocxDocument:
    return docx.Document(io.BytesIO(doc.to_bytes()))


def part_xml(doc: OfficialDocument, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(doc.to_bytes())) as z:
        return z.read(name).decode("utf-8")


def fonts(element: BaseOxmlElement) -> dict[str, str]:
    """rFonts attributes of a run (or rPr holder), without the namespace."""
    rpr = element.find(f"{W}rPr") if element.tag != f"{W}rPr" else element
    rfonts = rpr.find(f"{W}rFonts")
    return {key.removeprefix(W): value for key, value in rfonts.attrib.items()}


def ind(paragraph: Paragraph) -> dict[str, str]:
    element = paragraph._p.pPr.find(f"{W}ind")
    if element is None:
        return {}
    return {key.removeprefix(W): value for key, value in element.attrib.items()}


def texts(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs]


def paragraph_with(document: DocxDocument, text: str) -> Paragraph:
    matches = [p for p in document.paragraphs if p.text == text]
    assert len(matches) == 1, f"{text!r} found {len(matches)} times in {texts(document)}"
    return matches[0]


def sample() -> OfficialDocument:
    doc = OfficialDocument(
        title="关于做好2026年度目标责任考核工作的通知",
        issuer="某县住房和城乡建设局",
        date=date(2026, 6, 30),
        recipient="各股室、局属各单位",
    )
    doc.paragraph("为压实工作责任，现将有关事项通知如下。")
    doc.heading(1, "总体要求")
    doc.paragraph("坚持目标导向、问题导向、结果导向。")
    return doc


# --- page geometry -----------------------------------------------------------------------------


def test_page_is_a4_with_the_standard_margins() -> None:
    section = render(sample()).sections[0]
    for actual, expected_mm in [
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ]:
        assert abs(actual.mm - expected_mm) < 0.1
    # Word's own A4, so printers select the A4 tray.
    assert section._sectPr.find(f"{W}pgSz").attrib == {f"{W}w": "11906", f"{W}h": "16838"}


def test_type_area_is_156_by_225_mm() -> None:
    s = render(sample()).sections[0]
    assert abs(Length(s.page_width - s.left_margin - s.right_margin).mm - 156) < 0.1
    assert abs(Length(s.page_height - s.top_margin - s.bottom_margin).mm - 225) < 0.1


def test_document_grid_is_22_lines_of_28_characters() -> None:
    s = render(sample()).sections[0]
    grid = s._sectPr.find(f"{W}docGrid")
    assert grid.get(f"{W}type") == "linesAndChars"
    assert grid.get(f"{W}linePitch") == "579"  # 28.95 pt
    height_twips = Length(s.page_height - s.top_margin - s.bottom_margin).twips
    assert 22 * 579 <= height_twips < 23 * 579
    # Character pitch = 16 pt + charSpace/4096 pt: 28 of them fit the 版心, 29 do not.
    pitch_twips = (16 + int(grid.get(f"{W}charSpace")) / 4096) * 20
    width_twips = Length(s.page_width - s.left_margin - s.right_margin).twips
    assert 28 * pitch_twips <= width_twips < 29 * pitch_twips
    assert grid.get(f"{W}charSpace") == "-842"


def test_page_number_sits_7_mm_below_the_type_area() -> None:
    # Footer distance is to the bottom of the 14 pt footer line; the dash is ~2.5 mm above it.
    section = render(sample()).sections[0]
    assert abs(section.footer_distance.mm - 25.5) < 0.1
    dash_above_page_edge = section.footer_distance.mm + 2.5
    assert abs((section.bottom_margin.mm - dash_above_page_edge) - 7) < 0.1


# --- fonts -------------------------------------------------------------------------------------


def test_normal_style_is_3hao_fangsong_with_east_asian_slot() -> None:
    document = render(sample())
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    rfonts = fonts(normal.element.rPr)
    assert rfonts == {"ascii": "仿宋_GB2312", "hAnsi": "仿宋_GB2312", "eastAsia": "仿宋_GB2312",
                      "cs": "仿宋_GB2312"}  # fmt: skip
    fmt = normal.paragraph_format
    assert fmt.line_spacing == Pt(28.95)
    assert normal.element.pPr.find(f"{W}spacing").get(f"{W}lineRule") == "exact"
    assert fmt.space_after == Pt(0)
    assert fmt.widow_control is False


def test_document_defaults_have_no_theme_fonts_and_chinese_language() -> None:
    styles = part_xml(sample(), "word/styles.xml")
    defaults = styles[styles.index("<w:docDefaults>") : styles.index("</w:docDefaults>")]
    assert 'w:eastAsia="仿宋_GB2312"' in defaults
    assert "Theme" not in defaults and "cstheme" not in defaults
    assert 'w:eastAsia="zh-CN"' in defaults
    settings = part_xml(sample(), "word/settings.xml")
    assert '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>' in settings


def test_every_run_names_its_east_asian_font() -> None:
    doc = sample()
    doc.table(["序号", "任务"], [["1", "完成"]], title="表1")
    doc.attachment_note(["甲", "乙"])
    doc.signature_block([("甲方（签字）：", "局长")])
    document = render(doc)
    parts = [document.element.body]
    parts += [document.sections[0].footer._element, document.sections[0].even_page_footer._element]
    runs = [r for part in parts for r in part.iter(f"{W}r")]
    assert len(runs) > 20
    for run in runs:
        assert fonts(run)["eastAsia"] in {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312",
                                          "宋体"}  # fmt: skip


def test_font_table_declares_chinese_fonts_with_alternatives() -> None:
    table = part_xml(sample(), "word/fontTable.xml")
    for name, alt in [
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
        ("方正小标宋简体", "宋体"),
        ("黑体", "SimHei"),
        ("宋体", "SimSun"),
    ]:
        assert f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>' in table


# --- title, doc number, recipient --------------------------------------------------------------


def test_title_is_centred_2hao_xiaobiaosong() -> None:
    document = render(sample())
    title = document.paragraphs[0]
    assert title.text == "关于做好2026年度目标责任考核工作的通知"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = title.runs[0]
    assert run.font.size == Pt(22)
    assert fonts(run._r)["eastAsia"] == "方正小标宋简体"


def test_title_keeps_callers_line_breaks() -> None:
    document = render(
        OfficialDocument(title="关于印发某县住房和城乡建设局\n目标责任考核办法的通知")
    )
    title = document.paragraphs[0]
    assert title.text == "关于印发某县住房和城乡建设局\n目标责任考核办法的通知"
    assert len(title._p.findall(f".//{W}br")) == 1


def test_doc_number_is_centred_above_the_title() -> None:
    doc = OfficialDocument(title="关于某事的通知", doc_number="县住建〔2026〕15号")
    document = render(doc)
    assert texts(document)[:4] == ["县住建〔2026〕15号", "", "", "关于某事的通知"]
    number = document.paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert number.runs[0].font.size == Pt(16)
    assert fonts(number.runs[0]._r)["eastAsia"] == "仿宋_GB2312"


def test_recipient_follows_one_blank_line_flush_left_with_full_width_colon() -> None:
    for given in ["县考核办", "县考核办：", "县考核办:"]:
        document = render(OfficialDocument(title="报告", recipient=given))
        assert texts(document)[:3] == ["报告", "", "县考核办："]
        assert ind(document.paragraphs[2]) == {}


# --- body and headings -------------------------------------------------------------------------


def test_body_paragraph_is_indented_two_characters_at_the_grid_pitch() -> None:
    document = render(sample())
    p = paragraph_with(document, "为压实工作责任，现将有关事项通知如下。")
    assert ind(p)["firstLineChars"] == "200"
    assert p.paragraph_format.line_spacing == Pt(28.95)
    assert p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert p.runs[0].font.size == Pt(16)
    assert fonts(p.runs[0]._r)["eastAsia"] == "仿宋_GB2312"


def test_each_line_of_paragraph_text_is_a_paragraph() -> None:
    doc = OfficialDocument(title="T")
    doc.paragraph("第一段。\n\n第二段。")
    assert texts(render(doc))[2:] == ["第一段。", "第二段。"]


def test_headings_are_numbered_in_the_four_standard_forms_with_their_fonts() -> None:
    doc = OfficialDocument(title="T")
    printed = [
        doc.heading(1, "总体要求"),
        doc.heading(1, "主要任务"),
        doc.heading(2, "项目建设"),
        doc.heading(2, "安全生产"),
        doc.heading(3, "开工"),
        doc.heading(3, "竣工"),
        doc.heading(4, "验收"),
        doc.heading(4, "备案"),
    ]
    assert printed == ["一、总体要求", "二、主要任务", "（一）项目建设", "（二）安全生产",
                       "1.开工", "2.竣工", "（1）验收", "（2）备案"]  # fmt: skip
    document = render(doc)
    expected = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312", 4: "仿宋_GB2312"}
    for text, level in zip(printed, [1, 1, 2, 2, 3, 3, 4, 4], strict=True):
        p = paragraph_with(document, text)
        run = p.runs[0]
        assert fonts(run._r)["eastAsia"] == expected[level]
        assert run.font.size == Pt(16)
        assert not run.font.bold
        assert ind(p)["firstLineChars"] == "200"
        assert p.paragraph_format.keep_with_next is True
        assert p._p.pPr.find(f"{W}outlineLvl").get(f"{W}val") == str(level - 1)


def test_a_new_heading_restarts_the_numbering_of_lower_levels() -> None:
    doc = OfficialDocument(title="T")
    seen = [doc.heading(1, "甲"), doc.heading(2, "子"), doc.heading(3, "a"), doc.heading(4, "x")]
    seen += [doc.heading(2, "丑"), doc.heading(3, "b"), doc.heading(4, "y")]
    seen += [doc.heading(1, "乙"), doc.heading(2, "寅"), doc.heading(3, "c"), doc.heading(4, "z")]
    assert seen == ["一、甲", "（一）子", "1.a", "（1）x", "（二）丑", "1.b", "（1）y",
                    "二、乙", "（一）寅", "1.c", "（1）z"]  # fmt: skip


def test_numbering_goes_past_ten_in_chinese() -> None:
    doc = OfficialDocument(title="T")
    printed = [doc.heading(1, "x") for _ in range(12)]
    assert printed[9:] == ["十、x", "十一、x", "十二、x"]
    sub = [doc.heading(2, "y") for _ in range(11)]
    assert sub[-1] == "（十一）y"


def test_unnumbered_heading_prints_text_as_given_and_leaves_counters() -> None:
    doc = OfficialDocument(title="T")
    assert doc.heading(1, "一、已编号", numbered=False) == "一、已编号"
    assert doc.heading(1, "总体要求") == "一、总体要求"
    assert doc.heading(2, "说明", numbered=False) == "说明"
    assert doc.heading(2, "目标") == "（一）目标"


def test_level3_bold_is_an_option() -> None:
    doc = OfficialDocument(title="T", bold_level3=True)
    doc.heading(3, "开工")
    doc.heading(4, "验收")
    document = render(doc)
    assert paragraph_with(document, "1.开工").runs[0].font.bold is True
    assert not paragraph_with(document, "（1）验收").runs[0].font.bold


@pytest.mark.parametrize("level", [0, 5, -1])
def test_heading_level_must_be_1_to_4(level: int) -> None:
    with pytest.raises(ValueError):
        OfficialDocument(title="T").heading(level, "x")


# --- tables ------------------------------------------------------------------------------------


def make_table_doc(**kwargs: object) -> OfficialDocument:
    doc = OfficialDocument(title="T")
    doc.table(
        ["序号", "考核指标", "分值"],
        [["1", "保障性安居工程开工率达到100%，按月报送进度，年底前全部完工并通过验收", "10"],
         ["2", "安全生产零事故", "20"]],
        **kwargs,
    )  # fmt: skip
    return doc


def test_table_header_is_bold_and_repeats_on_every_page() -> None:
    table = render(make_table_doc()).tables[0]
    header, *body = table.rows
    assert header._tr.trPr.find(f"{W}tblHeader") is not None
    assert header._tr.trPr.find(f"{W}cantSplit") is not None
    assert all(row._tr.trPr is None or row._tr.trPr.find(f"{W}tblHeader") is None for row in body)
    for cell in header.cells:
        run = cell.paragraphs[0].runs[0]
        assert run.font.bold is True
        assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    for row in body:
        for cell in row.cells:
            run = cell.paragraphs[0].runs[0]
            assert not run.font.bold
            assert run.font.size == Pt(12)
            assert fonts(run._r)["eastAsia"] == "仿宋_GB2312"
            snap = cell.paragraphs[0]._p.pPr.find(f"{W}snapToGrid")
            assert snap.get(f"{W}val") == "0"


def test_table_has_single_rules_on_every_edge() -> None:
    table = render(make_table_doc()).tables[0]
    borders = table._tbl.tblPr.find(f"{W}tblBorders")
    edges = {child.tag.removeprefix(W): child.get(f"{W}val") for child in borders}
    assert edges == dict.fromkeys(["top", "left", "bottom", "right", "insideH", "insideV"],
                                  "single")  # fmt: skip


def test_table_fills_the_type_area_by_default_and_honours_given_widths() -> None:
    table = render(make_table_doc()).tables[0]
    widths = [column.width.mm for column in table.columns]
    assert abs(sum(widths) - 156) < 0.1
    assert max(widths) - min(widths) < 0.1
    table = render(make_table_doc(widths_mm=[15, 121, 20])).tables[0]
    assert [round(column.width.mm, 1) for column in table.columns] == [15.0, 121.0, 20.0]
    assert [round(cell.width.mm, 1) for cell in table.rows[1].cells] == [15.0, 121.0, 20.0]
    assert table._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"


def test_short_columns_are_centred_and_wrapping_columns_left_aligned() -> None:
    table = render(make_table_doc(widths_mm=[15, 121, 20])).tables[0]
    alignments = [cell.paragraphs[0].alignment for cell in table.rows[1].cells]
    assert alignments == [WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                          WD_ALIGN_PARAGRAPH.CENTER]  # fmt: skip


def test_table_title_is_centred_above_the_table() -> None:
    document = render(make_table_doc(title="表1 考核指标"))
    title = paragraph_with(document, "表1 考核指标")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.paragraph_format.keep_with_next is True
    body = document.element.body
    assert title._p.getnext().tag == f"{W}tbl"
    assert body.index(title._p) < body.index(document.tables[0]._tbl)


def test_two_tables_in_a_row_stay_separate() -> None:
    doc = make_table_doc()
    doc.table(["a"], [["b"]])
    document = render(doc)
    assert len(document.tables) == 2
    assert document.tables[0]._tbl.getnext().tag == f"{W}p"


@pytest.mark.parametrize(
    ("headers", "rows", "widths"),
    [
        ([], [], None),
        (["a", "b"], [["1"]], None),
        (["a", "b"], [["1", "2"]], [10.0]),
        (["a", "b"], [["1", "2"]], [100.0, 60.0]),
    ],
)
def test_table_rejects_inconsistent_shapes(
    headers: list[str], rows: list[list[str]], widths: list[float] | None
) -> None:
    with pytest.raises(ValueError):
        OfficialDocument(title="T").table(headers, rows, widths)


# --- page numbers ------------------------------------------------------------------------------


def test_settings_turn_on_different_odd_and_even_footers() -> None:
    assert "<w:evenAndOddHeaders/>" in part_xml(sample(), "word/settings.xml")
    assert render(sample()).settings.odd_and_even_pages_header_footer is True


def test_odd_footer_right_even_footer_left_each_one_character_in() -> None:
    section = render(sample()).sections[0]
    odd, even = section.footer, section.even_page_footer
    assert not odd.is_linked_to_previous and not even.is_linked_to_previous
    for footer, align, side in [
        (odd, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (even, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ]:
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert ind(p) == {f"{side}Chars": "100", side: "280"}  # one 4号 character
        assert p.text == "— 1 —"  # cached field result
        instr = [el.text for el in p._p.iter(f"{W}instrText")]
        assert instr == [" PAGE "]
        kinds = [el.get(f"{W}fldCharType") for el in p._p.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        for run in p.runs:
            assert run.font.size == Pt(14)
            assert fonts(run._r)["eastAsia"] == "宋体"


def test_footer_references_for_default_and_even_pages() -> None:
    document = part_xml(sample(), "word/document.xml")
    assert '<w:footerReference w:type="default"' in document
    assert '<w:footerReference w:type="even"' in document


# --- attachment note, signature, closing -------------------------------------------------------


def test_attachment_note_numbers_several_attachments_and_aligns_them() -> None:
    doc = OfficialDocument(title="T")
    doc.paragraph("正文。")
    doc.attachment_note(["考核指标表。", "责任分解表"])
    document = render(doc)
    assert texts(document)[2:6] == ["正文。", "", "附件：1.考核指标表", "2.责任分解表"]
    first = paragraph_with(document, "附件：1.考核指标表")
    second = paragraph_with(document, "2.责任分解表")
    # Both wrap to the first character of the name: 2 (左空二字) + 3 (附件：) + 1 ("1." is two
    # half-width characters); the first line starts 2 characters in, the second at "2.".
    assert ind(first)["leftChars"] == "600" and ind(first)["hangingChars"] == "400"
    assert ind(second)["leftChars"] == "600" and ind(second)["hangingChars"] == "100"


def test_single_attachment_is_not_numbered() -> None:
    doc = OfficialDocument(title="T")
    doc.attachment_note(["考核指标表"])
    document = render(doc)
    p = paragraph_with(document, "附件：考核指标表")
    assert ind(p)["leftChars"] == "500" and ind(p)["hangingChars"] == "300"


def test_attachment_note_rejects_empty_names() -> None:
    with pytest.raises(ValueError):
        OfficialDocument(title="T").attachment_note([])
    with pytest.raises(ValueError):
        OfficialDocument(title="T").attachment_note(["表", " 。"])


def test_sealed_closing_centres_issuer_over_date_four_characters_in() -> None:
    document = render(sample())
    assert texts(document)[-4:] == ["", "", "某县住房和城乡建设局", "2026年6月30日"]
    issuer = paragraph_with(document, "某县住房和城乡建设局")
    dated = paragraph_with(document, "2026年6月30日")
    assert issuer.alignment == dated.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # date "2026年6月30日" is 6.5 characters wide, the issuer 10: centred means 4 - 1.75.
    assert ind(dated)["rightChars"] == "400"
    assert ind(issuer)["rightChars"] == "225"
    assert issuer.paragraph_format.keep_with_next is True


def test_sealed_closing_with_a_long_issuer_keeps_two_characters_from_the_edge() -> None:
    doc = OfficialDocument(
        title="T", issuer="某县住房和城乡建设局某县重点项目建设指挥部", date=date(2026, 6, 30)
    )
    document = render(doc)
    # issuer 21 characters: centring on the date would give 4 - 7.25 < 2, so both move left.
    issuer = paragraph_with(document, "某县住房和城乡建设局某县重点项目建设指挥部")
    assert ind(issuer)["rightChars"] == "200"
    assert ind(paragraph_with(document, "2026年6月30日"))["rightChars"] == "925"


def test_unsealed_closing_follows_rule_7_3_5_2() -> None:
    doc = OfficialDocument(title="T", issuer="某县住房和城乡建设局", date=date(2026, 6, 30),
                           sealed=False)  # fmt: skip
    document = render(doc)
    assert texts(document)[-3:] == ["", "某县住房和城乡建设局", "2026年6月30日"]
    # issuer 右空二字; date starts two characters right of the issuer: 2 + 10 - 2 - 6.5.
    assert ind(paragraph_with(document, "某县住房和城乡建设局"))["rightChars"] == "200"
    assert ind(paragraph_with(document, "2026年6月30日"))["rightChars"] == "350"


def test_unsealed_closing_with_date_longer_than_issuer_puts_date_two_in() -> None:
    doc = OfficialDocument(title="T", issuer="住建局", date=date(2026, 12, 31), sealed=False)
    document = render(doc)
    # date 7 characters, issuer 3: date 右空二字, issuer 2 + 7 - 3 + 2.
    assert ind(paragraph_with(document, "2026年12月31日"))["rightChars"] == "200"
    assert ind(paragraph_with(document, "住建局"))["rightChars"] == "800"


def test_no_issuer_and_no_date_means_no_closing() -> None:
    doc = OfficialDocument(title="T")
    doc.paragraph("正文。")
    assert texts(render(doc)) == ["T", "", "正文。"]


def test_closing_comes_before_the_first_attachment_page() -> None:
    doc = sample()
    doc.attachment_note(["考核指标表"])
    doc.attachment("2026年度考核指标表")
    doc.heading(1, "指标")
    all_texts = texts(render(doc))
    assert all_texts.index("2026年6月30日") < all_texts.index("附件")
    assert all_texts.index("附件：考核指标表") < all_texts.index("某县住房和城乡建设局")


def test_attachment_page_starts_on_a_new_page_with_title_on_line_three() -> None:
    doc = OfficialDocument(title="T")
    doc.heading(1, "正文标题")
    doc.heading(2, "小节")
    doc.attachment("考核指标表", number=1)
    assert doc.heading(1, "指标") == "一、指标"
    document = render(doc)
    all_texts = texts(document)
    start = all_texts.index("附件1")
    assert all_texts[start : start + 5] == ["附件1", "", "考核指标表", "", "一、指标"]
    label = document.paragraphs[start]
    assert label.paragraph_format.page_break_before is True
    assert fonts(label.runs[0]._r)["eastAsia"] == "黑体"
    assert ind(label) == {}
    title = document.paragraphs[start + 2]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert fonts(title.runs[0]._r)["eastAsia"] == "方正小标宋简体"


def test_signature_block_is_a_borderless_two_column_grid() -> None:
    doc = OfficialDocument(title="目标责任书")
    doc.signature_block([("甲方（签字）：", "某县住房和城乡建设局局长"), ("乙方（签字）：", "某股股长"),
                         ("丙方（签字）：", "某站站长")])  # fmt: skip
    table = render(doc).tables[0]
    assert len(table.rows) == 2 and len(table.columns) == 2
    borders = table._tbl.tblPr.find(f"{W}tblBorders")
    assert {child.get(f"{W}val") for child in borders} == {"nil"}
    cell_texts = [p.text for p in table.rows[0].cells[0].paragraphs]
    assert cell_texts == [
        "甲方（签字）：",
        "某县住房和城乡建设局局长",
        "",
        "　　　　年　　月　　日",
    ]
    assert table.rows[0].cells[1].paragraphs[0].text == "乙方（签字）："
    assert table.rows[1].cells[0].paragraphs[0].text == "丙方（签字）："
    assert table.rows[1].cells[1].text == ""
    assert abs(sum(column.width.mm for column in table.columns) - 156) < 0.1


def test_signature_block_needs_a_party() -> None:
    with pytest.raises(ValueError):
        OfficialDocument(title="T").signature_block([])


# --- page breaks -------------------------------------------------------------------------------


def test_page_break_marks_the_next_paragraph_instead_of_adding_a_break_character() -> None:
    doc = OfficialDocument(title="T")
    doc.paragraph("第一页。")
    doc.page_break()
    doc.paragraph("第二页。")
    document = render(doc)
    assert paragraph_with(document, "第二页。").paragraph_format.page_break_before is True
    assert not paragraph_with(document, "第一页。").paragraph_format.page_break_before
    assert 'w:type="page"' not in part_xml(doc, "word/document.xml")


def test_page_break_before_an_untitled_table_uses_a_hairline_paragraph() -> None:
    doc = OfficialDocument(title="T")
    doc.page_break()
    doc.table(["a"], [["b"]])
    document = render(doc)
    marker = document.tables[0]._tbl.getprevious()
    p = next(p for p in document.paragraphs if p._p is marker)
    assert p.paragraph_format.page_break_before is True
    assert p.paragraph_format.line_spacing == Pt(1)


# --- file-level ---------------------------------------------------------------------------------


def test_file_metadata_and_no_template_thumbnail() -> None:
    data = sample().to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any("thumbnail" in name for name in z.namelist())
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "关于做好2026年度目标责任考核工作的通知"
    assert props.author == "某县住房和城乡建设局"
    assert props.language == "zh-CN"


def test_rendering_is_repeatable() -> None:
    doc = sample()
    assert texts(docx.Document(io.BytesIO(doc.to_bytes()))) == texts(render(doc))


def test_title_is_required() -> None:
    with pytest.raises(ValueError):
        OfficialDocument(title="  ")


def test_date_must_be_a_date() -> None:
    with pytest.raises(TypeError):
        OfficialDocument(title="T", date=datetime(2026, 6, 30))  # type: ignore[arg-type]


# --- chinese_date and chinese_number -----------------------------------------------------------


def test_chinese_date_uses_arabic_numerals_without_padding() -> None:
    assert chinese_date(date(2026, 6, 30)) == "2026年6月30日"
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"
    assert chinese_date(date(2026, 12, 31)) == "2026年12月31日"


def test_chinese_date_rejects_datetimes() -> None:
    with pytest.raises(TypeError):
        chinese_date(datetime(2026, 6, 30, 12))
    with pytest.raises(TypeError):
        chinese_date("2026-06-30")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"),
     (21, "二十一"), (30, "三十"), (45, "四十五"), (90, "九十"), (99, "九十九")],
)  # fmt: skip
def test_chinese_number(n: int, expected: str) -> None:
    assert chinese_number(n) == expected


def test_chinese_number_covers_1_to_99_uniquely() -> None:
    values = [chinese_number(n) for n in range(1, 100)]
    assert len(set(values)) == 99
    assert all(len(v) <= 3 for v in values)


@pytest.mark.parametrize("n", [0, 100, -1])
def test_chinese_number_range(n: int) -> None:
    with pytest.raises(ValueError):
        chinese_number(n)


@pytest.mark.parametrize("n", [True, 1.0, "1"])
def test_chinese_number_type(n: object) -> None:
    with pytest.raises(TypeError):
        chinese_number(n)  # type: ignore[arg-type]
