"""Word documents in the national official-document format (GB/T 9704-2012 党政机关公文格式).

What the bureau sends out — target-responsibility letters (目标责任书), 督办 notices, reports to
the county — is checked for format before anyone reads the content: a document in the wrong font,
with the wrong margins or page numbers, is returned for correction. Clerks fix this by hand in Word
today, so every generated file has to come out right first time. This module writes those files
with python-docx and nothing else; it knows the standard, not the database, so the web layer and
background tasks can both use it and the tests can pin the layout without Django.

What the standard fixes, and where it lives here:

* A4 paper; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (版心 156 x 225 mm);
* body text 3号 (16 pt) 仿宋_GB2312 on a grid of 22 lines x 28 characters, i.e. a line pitch of
  28.95 pt, first lines indented two characters;
* title 2号 (22 pt) 方正小标宋简体, centred; headings 一、/（一）/1./（1） in 黑体, 楷体_GB2312
  and 仿宋_GB2312;
* page numbers "— n —" in 4号 宋体, 7 mm below the 版心, odd pages right and even pages left,
  each one character in from the edge of the 版心;
* 附件说明, 发文机关署名 and 成文日期 placed by the rules of section 7.3.

Fonts. The names are the ones installed on Chinese government machines (仿宋_GB2312, 楷体_GB2312,
方正小标宋简体), because that is where the files are printed and sealed. They are written to all
four font slots of every run, East Asian (w:eastAsia) included: python-docx only fills the Latin
slots, and Word draws Chinese text from the East Asian slot, so without it the text silently comes
out in the theme font. On machines without the GB2312 fonts, Word uses the w:altName recorded in
the font table (仿宋, 楷体, 宋体), and LibreOffice and WPS substitute 仿宋/FangSong and the like
on their own; the layout survives because every line has an exact height.

Deliberately out of scope: the red 版头 (发文机关标志 and separator line) and the 版记 (抄送,
印发机关 and 印发日期), which the office prints on pre-made letterhead or adds by hand.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree

__all__ = [
    "CHARS_PER_LINE",
    "FANGSONG",
    "HEITI",
    "KAITI",
    "LINES_PER_PAGE",
    "LINE_PITCH_TWIPS",
    "SONGTI",
    "XIAOBIAOSONG",
    "OfficialDocument",
    "chinese_date",
    "chinese_number",
]

# --- fonts and sizes ---------------------------------------------------------------------------

FANGSONG = "仿宋_GB2312"  # body text, headings of levels 3 and 4, tables
KAITI = "楷体_GB2312"  # level-2 headings
HEITI = "黑体"  # level-1 headings, the word 附件 on attachment pages
XIAOBIAOSONG = "方正小标宋简体"  # titles
SONGTI = "宋体"  # page numbers

# What Word may use when the named font is missing (w:altName in the font table). 方正小标宋简体
# falls back to 宋体, the nearest face every Chinese Windows has.
_ALT_NAMES = {
    FANGSONG: "仿宋",
    KAITI: "楷体",
    XIAOBIAOSONG: "宋体",
    HEITI: "SimHei",
    SONGTI: "SimSun",
}

# Chinese 号 sizes in points.
SIZE_2 = 22.0  # 二号: titles
SIZE_3 = 16.0  # 三号: body text and headings
SIZE_4 = 14.0  # 四号: page numbers
SIZE_SMALL_4 = 12.0  # 小四: table cells, so a five- or six-column table still fits 156 mm

# --- page geometry -----------------------------------------------------------------------------


def _mm_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


# Word's own A4 is 11906 x 16838 twips; writing exactly that lets printers pick the A4 tray.
_PAGE_WIDTH = _mm_twips(210)
_PAGE_HEIGHT = _mm_twips(297)
_MARGIN_TOP = _mm_twips(37)
_MARGIN_BOTTOM = _mm_twips(35)
_MARGIN_LEFT = _mm_twips(28)
_MARGIN_RIGHT = _mm_twips(26)
_TEXT_WIDTH = _PAGE_WIDTH - _MARGIN_LEFT - _MARGIN_RIGHT  # 8845 twips, the 156 mm of the 版心

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

# 225 mm / 22 lines; Word's "22 lines per page" grid stores 579 twips = 28.95 pt, and every body
# paragraph uses exactly this height so a page holds 22 lines whatever the fonts' own metrics are.
LINE_PITCH_TWIPS = 579

# 28 characters of 16 pt are 448 pt, wider than the 442 pt 版心: the document grid squeezes the
# character pitch to 版心 / 28. Word stores the squeeze in 1/4096 pt relative to the Normal font
# size and rounds it down, so 28 characters are guaranteed to fit.
_CHAR_PITCH_PT = _TEXT_WIDTH / 20 / CHARS_PER_LINE
_CHAR_SPACE = math.floor((_CHAR_PITCH_PT - SIZE_3) * 4096)
_CHAR_TWIPS = _TEXT_WIDTH / CHARS_PER_LINE  # one body character, for indents given in twips

# Multi-line titles at the body pitch look cramped at 22 pt; the standard only asks for
# "间距恰当", and 35 pt is the usual local rule.
_TITLE_LINE_TWIPS = 700

# The 一字线 of the page number sits 7 mm below the 版心. Word measures the footer distance to the
# bottom of the footer line; with an exact 14 pt line the dash (at the centre of the ideographic em
# box) is about 2.5 mm above that, so the line's bottom goes 35 - 7 - 2.5 mm above the page edge.
_FOOTER_DISTANCE_MM = 25.5
_PAGE_NUMBER_DASH = "—"  # 一字线

# Blank lines (at the body pitch) the standard asks for between blocks.
_LINES_AFTER_DOC_NUMBER = 2  # where the 版头's separator line would be, then 空二行
_LINES_AFTER_TITLE = 1  # 主送机关在标题下空一行
_LINES_BEFORE_ATTACHMENT_NOTE = 1  # 正文下空一行
_LINES_BEFORE_SEALED_SIGNATURE = 2  # room for the seal, whose top must be within a line of text
_LINES_BEFORE_UNSEALED_SIGNATURE = 1

# Table cells: Word's default left + right cell margins (2 x 0.19 cm), used to decide whether a
# column's entries fit on one line.
_CELL_PADDING_MM = 3.8
_TABLE_BORDER_EIGHTHS = 4  # 0.5 pt single rules

# Order of w:pPr children in the schema; Word may refuse a file whose elements are out of order.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)  # fmt: skip
_TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")

_HEADING_LEVELS = (1, 2, 3, 4)
_TRAILING_PUNCTUATION = "。.，,；;：:、"

_CN_DIGITS = "零一二三四五六七八九"

_Align = WD_ALIGN_PARAGRAPH


# --- public helpers ----------------------------------------------------------------------------


def chinese_date(d: date) -> str:
    """成文日期 as the standard writes it: Arabic numerals, no leading zeros, e.g. 2026年6月30日."""
    # A datetime is a date subclass but carries a time-zone question (UTC midnight is not Beijing
    # midnight); make the caller decide which calendar day they mean.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a datetime.date, got {type(d).__name__}")
    return f"{d.year}年{d.month}月{d.day}日"


def chinese_number(n: int) -> str:
    """1..99 in Chinese numerals (十, 十一, 二十, 二十一), for 一、 and （一） heading numbers.

    The range is what a document's heading numbering can reach; anything beyond is a bug in the
    caller, not a heading, so it raises rather than inventing 一百.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected an int, got {type(n).__name__}")
    if not 1 <= n <= 99:
        raise ValueError(f"{n} is outside 1..99")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


# --- the document ------------------------------------------------------------------------------

_Block = Callable[["_Writer"], None]


@dataclass
class OfficialDocument:
    """One 公文, built up block by block and rendered by ``to_bytes()``.

    The header fields are printed in the standard's order: 发文字号 (centred, where the letterhead
    would put it), title, 主送机关; then the body blocks in the order they were added; then the
    发文机关署名 and 成文日期, which go after the body and any 附件说明 but before the first
    attachment page, because attachments follow the signed document.

    ``sealed`` chooses the signature layout: a sealed document (the bureau's normal case) puts the
    date four characters in from the right with the issuer centred above it and leaves room for
    the seal; an unsealed one puts the issuer two characters in and the date shifted two
    characters right of the issuer's first character (GB/T 9704 7.3.5).
    """

    title: str
    issuer: str | None = None  # 发文机关署名
    date: date | None = None  # 成文日期
    doc_number: str | None = None  # 发文字号, e.g. 县住建〔2026〕15号
    recipient: str | None = None  # 主送机关, e.g. 县考核办
    sealed: bool = True
    # Many local rules print 1. headings in bold 仿宋; the standard itself does not.
    bold_level3: bool = False

    _blocks: list[tuple[str, _Block]] = field(default_factory=list, init=False, repr=False)
    _counters: list[int] = field(default_factory=lambda: [0, 0, 0, 0], init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("an official document needs a title")
        if self.date is not None:
            chinese_date(self.date)  # type check now, not at render time

    # --- body blocks -----------------------------------------------------------------------

    def heading(self, level: int, text: str, *, numbered: bool = True) -> str:
        """A structural heading; returns the text as printed.

        Numbering is automatic (一、 / （一） / 1. / （1）) and a heading restarts the numbering of
        every level below it, so callers can generate sections from data without counting. Pass
        ``numbered=False`` for a heading whose text already carries its number; it leaves the
        counters alone.
        """
        if level not in _HEADING_LEVELS:
            raise ValueError(f"heading level must be 1..4, got {level}")
        if numbered:
            self._counters[level - 1] += 1
            for deeper in range(level, len(self._counters)):
                self._counters[deeper] = 0
            printed = _numbered(level, self._counters[level - 1], text)
        else:
            printed = text
        font = (HEITI, KAITI, FANGSONG, FANGSONG)[level - 1]
        bold = level == 3 and self.bold_level3

        def render(w: _Writer) -> None:
            w.paragraph(printed, font=font, bold=bold, first=2, keep_next=True, outline=level - 1)

        self._blocks.append(("body", render))
        return printed

    def paragraph(self, text: str) -> None:
        """Body text, first line indented two characters; each line of ``text`` is a paragraph."""
        lines = [line for line in text.splitlines() if line.strip()]

        def render(w: _Writer) -> None:
            for line in lines:
                w.paragraph(line, first=2)

        self._blocks.append(("body", render))

    def table(
        self,
        headers: list[str],
        rows: list[list[str]],
        widths_mm: list[float] | None = None,
        title: str | None = None,
    ) -> None:
        """A ruled table in 小四 仿宋, header row bold and repeated on every page it spans.

        Without ``widths_mm`` the columns share the 156 mm 版心 equally. Columns whose entries all
        fit on one line (序号, 分值, 责任单位) are centred; columns that wrap are left-aligned so
        long text stays readable.
        """
        columns = len(headers)
        if columns == 0:
            raise ValueError("a table needs at least one column")
        for number, row in enumerate(rows, start=1):
            if len(row) != columns:
                raise ValueError(f"row {number} has {len(row)} cells, expected {columns}")
        if widths_mm is None:
            widths = [_TEXT_WIDTH / columns] * columns
        else:
            if len(widths_mm) != columns:
                raise ValueError(f"{len(widths_mm)} widths for {columns} columns")
            widths = [float(_mm_twips(w)) for w in widths_mm]
            if sum(widths) > _TEXT_WIDTH + _mm_twips(0.5):
                raise ValueError(f"table is {sum(widths_mm)} mm wide; the 版心 is 156 mm")
        header_cells = list(headers)
        body = [list(row) for row in rows]

        def render(w: _Writer) -> None:
            if title:
                w.paragraph(title, font=HEITI, align=_Align.CENTER, keep_next=True)
            w.table(header_cells, body, widths)
            w.paragraph("")  # keeps two tables from merging, and leaves a line before the text

        self._blocks.append(("body", render))

    def attachment_note(self, items: list[str]) -> None:
        """附件说明 after the body: 附件：1.名称, one line per attachment (GB/T 9704 7.3.4).

        A single attachment is not numbered; names lose trailing punctuation, as the standard
        asks; wrapped names line up under the first character of the name.
        """
        names = [item.strip().rstrip(_TRAILING_PUNCTUATION) for item in items]
        if not names or not all(names):
            raise ValueError("attachment names must not be empty")

        def render(w: _Writer) -> None:
            w.blank_lines(_LINES_BEFORE_ATTACHMENT_NOTE)
            label = "附件："
            if len(names) == 1:
                w.paragraph(label + names[0], left=5, hanging=3)
                return
            for number, name in enumerate(names, start=1):
                marker = f"{number}."
                marker_width = _display_width(marker)
                left = 2 + _display_width(label) + marker_width
                if number == 1:
                    w.paragraph(label + marker + name, left=left, hanging=left - 2)
                else:
                    w.paragraph(marker + name, left=left, hanging=marker_width)

        self._blocks.append(("body", render))

    def signature_block(self, parties: list[tuple[str, str]]) -> None:
        """Signing space for responsibility letters, two parties to a row.

        Each party is (label, signer), e.g. ("甲方（签字）：", "县住房和城乡建设局局长"): the label
        line is where the signature goes, the signer line says who signs, and a blank 年 月 日 line
        is left for the date, written by hand on the day.
        """
        if not parties:
            raise ValueError("a signature block needs at least one party")
        cells = [[label, signer, "", "　　　　年　　月　　日"] for label, signer in parties]

        def render(w: _Writer) -> None:
            w.blank_lines(1)
            w.signature_table(cells)

        self._blocks.append(("body", render))

    def attachment(self, title: str, number: int | None = None) -> None:
        """Start an attachment on a new page (GB/T 9704 8).

        附件 (with its number when there are several) goes in 3号 黑体 on the first line, flush
        left; the attachment's title on the third line, styled like the document title. Heading
        numbering restarts, since an attachment is a document of its own.
        """
        if not title.strip():
            raise ValueError("an attachment needs a title")
        label = "附件" if number is None else f"附件{number}"
        self._counters = [0, 0, 0, 0]

        def render(w: _Writer) -> None:
            w.page_break()
            w.paragraph(label, font=HEITI, align=_Align.LEFT)
            w.blank_lines(1)
            w.title(title)
            w.blank_lines(1)

        self._blocks.append(("attachment", render))

    def page_break(self) -> None:
        """Start the next block on a new page.

        Implemented as "page break before" on the next paragraph rather than a break character,
        which would leave an empty line at the top of the new page and push the grid down.
        """
        self._blocks.append(("body", lambda w: w.page_break()))

    # --- output ----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The .docx file. Rendering is repeatable: the same document can be saved again."""
        doc = Document()
        _set_up_styles(doc)
        _set_up_settings(doc)
        section = doc.sections[0]
        _set_up_page(section)
        _set_up_page_numbers(section)
        _drop_thumbnail(doc)

        writer = _Writer(doc)
        if self.doc_number:
            writer.paragraph(self.doc_number, align=_Align.CENTER)
            writer.blank_lines(_LINES_AFTER_DOC_NUMBER)
        writer.title(self.title)
        writer.blank_lines(_LINES_AFTER_TITLE)
        if self.recipient:
            writer.paragraph(_with_colon(self.recipient), align=_Align.JUSTIFY)

        closing_at = next(
            (i for i, (kind, _) in enumerate(self._blocks) if kind == "attachment"),
            len(self._blocks),
        )
        for _, render in self._blocks[:closing_at]:
            render(writer)
        self._render_closing(writer)
        for _, render in self._blocks[closing_at:]:
            render(writer)

        props = doc.core_properties
        props.title = self.title.replace("\n", "")
        props.author = self.issuer or ""
        props.last_modified_by = self.issuer or ""
        props.language = "zh-CN"
        now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
        props.created = now
        props.modified = now
        props.revision = 1

        _register_fonts(doc)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()

    def _render_closing(self, w: _Writer) -> None:
        """发文机关署名 and 成文日期 (GB/T 9704 7.3.5.1 sealed, 7.3.5.2 unsealed)."""
        issuer = (self.issuer or "").strip()
        dated = chinese_date(self.date) if self.date is not None else ""
        if not issuer and not dated:
            return
        issuer_right, date_right = _signature_indents(
            _display_width(issuer), _display_width(dated), self.sealed
        )
        w.blank_lines(
            _LINES_BEFORE_SEALED_SIGNATURE if self.sealed else _LINES_BEFORE_UNSEALED_SIGNATURE
        )
        if issuer:
            w.paragraph(issuer, align=_Align.RIGHT, right=issuer_right, keep_next=True)
        if dated:
            w.paragraph(dated, align=_Align.RIGHT, right=date_right)


def _numbered(level: int, n: int, text: str) -> str:
    if level == 1:
        return f"{chinese_number(n)}、{text}"
    if level == 2:
        return f"（{chinese_number(n)}）{text}"
    if level == 3:
        return f"{n}.{text}"
    return f"（{n}）{text}"


def _with_colon(recipient: str) -> str:
    """主送机关 ends in a full-width colon; accept callers who typed none or an ASCII one."""
    text = recipient.strip().rstrip(":：")
    return text + "："


def _display_width(text: str) -> float:
    """Width in body characters: CJK and full-width forms take one, digits and Latin half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _signature_indents(issuer: float, dated: float, sealed: bool) -> tuple[float, float]:
    """Right indents, in characters, of the issuer and date lines.

    Sealed: the date is 右空四字 and the issuer centred over it; when the issuer is so long that
    centring would push it within two characters of the edge, both move left together. Unsealed:
    the issuer is 右空二字 and the date starts two characters right of the issuer's first character;
    a date longer than that rule allows is 右空二字 instead and the issuer moves left with it.
    """
    if sealed:
        date_right = 4.0
        if not dated:
            return date_right, date_right
        if not issuer:
            return date_right, date_right
        issuer_right = date_right + (dated - issuer) / 2
        if issuer_right < 2:
            shift = 2 - issuer_right
            issuer_right += shift
            date_right += shift
        return issuer_right, date_right
    if not issuer or not dated:
        return 2.0, 2.0
    issuer_right = 2.0
    date_right = issuer_right + issuer - 2 - dated
    if date_right < 2:
        date_right = 2.0
        issuer_right = date_right + dated - issuer + 2
    return issuer_right, date_right


# --- rendering ---------------------------------------------------------------------------------


class _Writer:
    """Appends formatted paragraphs and tables to a python-docx document.

    Holds the one piece of state rendering needs: a page break waiting for the next paragraph.
    """

    def __init__(self, doc: DocxDocument) -> None:
        self.doc = doc
        self._break_pending = False

    def page_break(self) -> None:
        self._break_pending = True

    def blank_lines(self, count: int) -> None:
        for _ in range(count):
            self.paragraph("")

    def title(self, text: str) -> None:
        """Centred 2号 小标宋, off the character grid.

        Line breaks in ``text`` are kept so the caller can break a long title where the meaning
        allows (回行时词意完整), as the standard requires. The grid is for 16 pt text: Word gives a
        22 pt character snapped to it two grid cells, which spreads the title out.
        """
        self.paragraph(
            text,
            font=XIAOBIAOSONG,
            size=SIZE_2,
            align=_Align.CENTER,
            line_twips=_TITLE_LINE_TWIPS,
            keep_next=True,
            snap_to_grid=False,
        )

    def paragraph(
        self,
        text: str,
        *,
        font: str = FANGSONG,
        size: float = SIZE_3,
        bold: bool = False,
        align: WD_ALIGN_PARAGRAPH = _Align.JUSTIFY,
        first: float = 0,
        left: float = 0,
        right: float = 0,
        hanging: float = 0,
        line_twips: int = LINE_PITCH_TWIPS,
        keep_next: bool = False,
        outline: int | None = None,
        snap_to_grid: bool = True,
    ) -> Paragraph:
        p = self.doc.add_paragraph()
        _format_paragraph(
            p, align=align, line_twips=line_twips, keep_next=keep_next, snap_to_grid=snap_to_grid
        )
        _set_indent(p, first=first, left=left, right=right, hanging=hanging)
        if outline is not None:
            _set_ppr_child(p._p.get_or_add_pPr(), "w:outlineLvl", val=str(outline))
        if self._break_pending:
            p.paragraph_format.page_break_before = True
            self._break_pending = False
        _add_text(p, text, font=font, size=size, bold=bold)
        _set_mark_font(p, font=font, size=size)
        return p

    def _break_before_table(self) -> None:
        """A table cannot carry "page break before"; put it on a 1 pt empty paragraph instead."""
        if self._break_pending:
            self.paragraph("", size=1, line_twips=20)

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float]) -> None:
        self._break_before_table()
        table = self.doc.add_table(rows=1 + len(rows), cols=len(headers))
        _set_table_geometry(table, widths)
        _set_table_borders(table, "single")
        centred = [
            all(_fits_one_line(row[i], widths[i]) for row in rows) for i in range(len(headers))
        ]
        header_row = table.rows[0]
        trPr = header_row._tr.get_or_add_trPr()
        trPr.append(OxmlElement("w:cantSplit"))
        trPr.append(OxmlElement("w:tblHeader"))
        for i, text in enumerate(headers):
            _fill_cell(header_row.cells[i], text, bold=True, align=_Align.CENTER)
        for r, row in enumerate(rows, start=1):
            cells = table.rows[r].cells
            for i, text in enumerate(row):
                _fill_cell(cells[i], text, align=_Align.CENTER if centred[i] else _Align.LEFT)

    def signature_table(self, parties: list[list[str]]) -> None:
        """Borderless two-column grid: the usual 甲方 left, 乙方 right layout of a 责任书."""
        self._break_before_table()
        row_count = (len(parties) + 1) // 2
        table = self.doc.add_table(rows=row_count, cols=2)
        _set_table_geometry(table, [_TEXT_WIDTH / 2] * 2)
        _set_table_borders(table, "nil")
        for index, lines in enumerate(parties):
            cell = table.rows[index // 2].cells[index % 2]
            first = True
            for line in lines:
                p = cell.paragraphs[0] if first else cell.add_paragraph()
                first = False
                _format_paragraph(p, align=_Align.LEFT, line_twips=LINE_PITCH_TWIPS)
                _add_text(p, line, font=FANGSONG, size=SIZE_3, bold=False)
                _set_mark_font(p, font=FANGSONG, size=SIZE_3)
        self.paragraph("")


# --- paragraph and run formatting --------------------------------------------------------------


def _format_paragraph(
    p: Paragraph,
    *,
    align: WD_ALIGN_PARAGRAPH,
    line_twips: int,
    keep_next: bool = False,
    snap_to_grid: bool = True,
) -> None:
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(line_twips)
    if keep_next:
        fmt.keep_with_next = True
    if not snap_to_grid:
        _set_ppr_child(p._p.get_or_add_pPr(), "w:snapToGrid", val="0")


def _set_indent(
    p: Paragraph,
    *,
    first: float = 0,
    left: float = 0,
    right: float = 0,
    hanging: float = 0,
    char_twips: float = _CHAR_TWIPS,
) -> None:
    """Indents in characters (w:*Chars, what Word shows as 字符) with twips for other readers.

    Word uses the character values and ignores the twips; LibreOffice and WPS versions that do
    not understand the character form fall back to the twips, computed from the grid pitch.
    """
    if not (first or left or right or hanging):
        return
    ind = OxmlElement("w:ind")
    for name, chars in (("left", left), ("right", right)):
        if chars:
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * char_twips)))
    if hanging:
        ind.set(qn("w:hangingChars"), str(round(hanging * 100)))
        ind.set(qn("w:hanging"), str(round(hanging * char_twips)))
    elif first:
        ind.set(qn("w:firstLineChars"), str(round(first * 100)))
        ind.set(qn("w:firstLine"), str(round(first * char_twips)))
    _set_ppr_child(p._p.get_or_add_pPr(), "w:ind", element=ind)


def _set_ppr_child(
    pPr: BaseOxmlElement, tag: str, *, element: BaseOxmlElement | None = None, **attrs: str
) -> None:
    """Replace or add one w:pPr child, keeping the schema order Word insists on."""
    if element is None:
        element = OxmlElement(tag)
        for name, value in attrs.items():
            element.set(qn(f"w:{name}"), value)
    for old in pPr.findall(qn(tag)):
        pPr.remove(old)
    successors = _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]
    pPr.insert_element_before(element, *successors)


def _add_text(p: Paragraph, text: str, *, font: str, size: float, bold: bool) -> None:
    """One run per line of ``text``, joined by line breaks, each with all four font slots set.

    An empty ``text`` adds no run: a blank line is just a paragraph mark, whose font
    _set_mark_font sets.
    """
    if not text:
        return
    for i, line in enumerate(text.split("\n")):
        run = p.add_run()
        if i:
            run.add_break()
        if line:
            run.add_text(line)
        _set_run_font(run._r.get_or_add_rPr(), font, size, bold)


def _set_mark_font(p: Paragraph, *, font: str, size: float) -> None:
    """Give the paragraph mark the same font, so an empty line or a new line typed in Word later
    keeps the right face and size."""
    pPr = p._p.get_or_add_pPr()
    rPr = pPr.find(qn("w:rPr"))
    if rPr is None:
        rPr = OxmlElement("w:rPr")
        _set_ppr_child(pPr, "w:rPr", element=rPr)
    _set_rpr_fonts(rPr, font, size)


def _set_run_font(rPr: CT_RPr, font: str, size: float, bold: bool) -> None:
    _set_rpr_fonts(rPr, font, size)
    if bold:
        rPr.get_or_add_b()


def _set_rpr_fonts(rPr: CT_RPr, font: str, size: float) -> None:
    """All four font slots (Latin, high ANSI, East Asian, complex script) and both sizes.

    Theme attributes are removed: Word lets w:eastAsiaTheme override w:eastAsia.
    """
    fonts = rPr.get_or_add_rFonts()
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), font)
    half_points = str(round(size * 2))
    for tag in ("w:sz", "w:szCs"):
        for old in rPr.findall(qn(tag)):
            rPr.remove(old)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), half_points)
    szCs = OxmlElement("w:szCs")
    szCs.set(qn("w:val"), half_points)
    # w:sz and w:szCs follow most run properties and precede highlight/underline/lang etc.
    successors = ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText",
                  "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
                  "w:specVanish", "w:oMath")  # fmt: skip
    rPr.insert_element_before(sz, *successors)
    rPr.insert_element_before(szCs, *successors)


# --- tables ------------------------------------------------------------------------------------


def _set_table_geometry(table: Table, widths: list[float]) -> None:
    """Fixed layout with explicit widths in the grid and in every cell: Word reads the cells,
    LibreOffice the grid, and autofit would otherwise resize columns to their content."""
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tblW = table._tbl.tblPr.find(qn("w:tblW"))
    if tblW is None:
        tblW = OxmlElement("w:tblW")
        table._tbl.tblPr.insert_element_before(tblW, "w:jc", *_TBLPR_AFTER_BORDERS)
    tblW.set(qn("w:type"), "dxa")
    tblW.set(qn("w:w"), str(round(sum(widths))))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(round(width))
        for cell in column.cells:
            cell.width = Twips(round(width))


def _set_table_borders(table: Table, kind: str) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), kind)
        if kind != "nil":
            el.set(qn("w:sz"), str(_TABLE_BORDER_EIGHTHS))
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tblPr = table._tbl.tblPr
    for old in tblPr.findall(qn("w:tblBorders")):
        tblPr.remove(old)
    tblPr.insert_element_before(borders, *_TBLPR_AFTER_BORDERS)


def _fill_cell(cell: _Cell, text: str, *, align: WD_ALIGN_PARAGRAPH, bold: bool = False) -> None:
    """Cell text at single spacing, off the document grid: the 28.95 pt body pitch would make
    every table row a full text line tall, and the character grid would stretch 小四 text."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _set_ppr_child(p._p.get_or_add_pPr(), "w:snapToGrid", val="0")
    _add_text(p, text, font=FANGSONG, size=SIZE_SMALL_4, bold=bold)
    _set_mark_font(p, font=FANGSONG, size=SIZE_SMALL_4)


def _fits_one_line(text: str, width_twips: float) -> bool:
    if "\n" in text:
        return False
    available = width_twips - _mm_twips(_CELL_PADDING_MM)
    return _display_width(text) * SIZE_SMALL_4 * 20 <= available


# --- document set-up ---------------------------------------------------------------------------


def _set_up_page(section: Section) -> None:
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Twips(_PAGE_WIDTH)
    section.page_height = Twips(_PAGE_HEIGHT)
    section.top_margin = Twips(_MARGIN_TOP)
    section.bottom_margin = Twips(_MARGIN_BOTTOM)
    section.left_margin = Twips(_MARGIN_LEFT)
    section.right_margin = Twips(_MARGIN_RIGHT)
    section.gutter = Twips(0)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(_FOOTER_DISTANCE_MM)
    sectPr = section._sectPr
    grid = sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sectPr.insert_element_before(grid, "w:printerSettings", "w:sectPrChange")
    grid.attrib.clear()
    # "linesAndChars" is Word's 指定行和字符网格: 22 lines of 28 characters.
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(_CHAR_SPACE))


def _set_up_styles(doc: DocxDocument) -> None:
    """Normal style and document defaults in 3号 仿宋_GB2312, Chinese language, exact pitch.

    The python-docx template carries Calibri/Cambria theme fonts, 10 pt after each paragraph and a
    Japanese East Asian language; each would leak into anything Word adds to the file later.
    """
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rPr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_rpr_fonts(rPr, FANGSONG, SIZE_3)
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    normal = doc.styles["Normal"]
    _set_rpr_fonts(normal.element.get_or_add_rPr(), FANGSONG, SIZE_3)
    fmt = normal.paragraph_format
    fmt.alignment = _Align.JUSTIFY
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE_PITCH_TWIPS)
    # Widow/orphan control would move single lines to the next page and leave pages of 21 lines.
    fmt.widow_control = False
    pPr = normal.element.get_or_add_pPr()
    # Word's automatic extra space between Chinese and digits pushes text off the 28-character
    # grid and makes the width of a date like 2026年6月30日 unpredictable.
    _set_ppr_child(pPr, "w:autoSpaceDE", val="0")
    _set_ppr_child(pPr, "w:autoSpaceDN", val="0")


def _set_up_settings(doc: DocxDocument) -> None:
    # Odd and even pages carry different footers: page numbers alternate right and left.
    doc.settings.odd_and_even_pages_header_footer = True
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")


def _set_up_page_numbers(section: Section) -> None:
    """Page numbers "— n —" in 4号 宋体: odd pages 右空一字, even pages 左空一字 (GB/T 9704 7.5)."""
    one_char = SIZE_4 * 20  # the 空一字 is one character of the page number's own size
    for footer, align, side in (
        (section.footer, _Align.RIGHT, "right"),
        (section.even_page_footer, _Align.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        _format_paragraph(p, align=align, line_twips=round(SIZE_4 * 20), snap_to_grid=False)
        _set_indent(p, char_twips=one_char, **{side: 1})
        _add_text(p, f"{_PAGE_NUMBER_DASH} ", font=SONGTI, size=SIZE_4, bold=False)
        _add_page_field(p)
        _add_text(p, f" {_PAGE_NUMBER_DASH}", font=SONGTI, size=SIZE_4, bold=False)
        _set_mark_font(p, font=SONGTI, size=SIZE_4)


def _add_page_field(p: Paragraph) -> None:
    """A complex PAGE field, with 1 as the cached result for readers that do not update fields."""

    def run_with(child: BaseOxmlElement) -> None:
        run = p.add_run()
        _set_run_font(run._r.get_or_add_rPr(), SONGTI, SIZE_4, False)
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    cached = OxmlElement("w:t")
    cached.text = "1"
    run_with(cached)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _drop_thumbnail(doc: DocxDocument) -> None:
    """The python-docx template ships a preview image of an empty US Letter page, which file
    browsers would show for every document; without the relationship it is not written."""
    rels = doc.part.package.rels
    for rId in [rId for rId, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rId]


def _register_fonts(doc: DocxDocument) -> None:
    """Declare the Chinese fonts in the font table with the GB2312 charset and an alternative name.

    A font missing from the table gives Word nothing to go on but its name, and it may substitute
    a Latin face; the charset (86 = GB2312) steers it to a Chinese one, and w:altName names it.
    """
    old = doc.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(old.blob)
    present = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
    for name, alt in _ALT_NAMES.items():
        if name in present:
            continue
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (
            ("w:altName", alt),
            ("w:charset", "86"),
            ("w:family", "auto"),
            ("w:pitch", "variable"),
        ):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        root.append(font)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    new = Part(old.partname, old.content_type, blob, old.package)
    for rId in [rId for rId, rel in doc.part.rels.items() if rel.reltype == RT.FONT_TABLE]:
        del doc.part.rels[rId]
    doc.part.relate_to(new, RT.FONT_TABLE)
