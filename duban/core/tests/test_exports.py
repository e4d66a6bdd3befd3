"""List exports open readable: columns sized for Chinese text, header bold and frozen."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from duban.core.exports import display_width


def test_display_width_counts_chinese_as_two():
    assert display_width("牵头股室") == 8
    assert display_width("A1") == 2


def test_a_list_export_is_sized_for_its_chinese_text(org, client_for):
    response = client_for("director").get("/org/people/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    name = str(sheet["A1"].value)
    assert sheet.column_dimensions["A"].width >= display_width(name)


def test_empty_choices_read_choose_not_dashes(org, client_for):
    html = client_for("office").get("/supervision/tasks/add/").content.decode()
    assert "---------" not in html
    assert "请选择" in html
