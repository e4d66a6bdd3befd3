"""Importing a scheme's indicators from the assessor's spreadsheet: a job, all or nothing, every
error reported by row and column letter."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from duban.assessment import imports
from duban.assessment.choices import SchemeStatus, ValueKind
from duban.assessment.models import Indicator, RequiredMaterial
from duban.assessment.tests.factories import make_indicator, make_scheme
from duban.core.jobs import JobFailed
from duban.core.models import Job
from duban.core.testing import check_matrix
from duban.lib import scoring
from duban.org.tests.factories import make_person, make_unit

ADMINS = {"auditor": 403, "sysadmin": 403, "secadmin": 403}
OFFICE_ONLY = {
    **dict.fromkeys(("director", "leader", "chief_a", "staff_a", "staff_c"), 403),
    "office": 200,
    **ADMINS,
    "anonymous": 302,
}
KEYS = [c.key for c in imports.COLUMNS]


def headers() -> list[str]:
    return [f"{c.header}*" if c.required else c.header for c in imports.COLUMNS]


def line(**cells) -> list:
    """A sheet row from column keys, in template order; missing cells are empty."""
    unknown = set(cells) - set(KEYS)
    assert not unknown, unknown
    return [cells.get(key) for key in KEYS]


def workbook(rows, header_row=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header_row or headers())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "scheme.xlsx"
    return buffer


@pytest.fixture
def scheme(org):
    return make_scheme(org)


def upload(client_for, scheme, file, capture, persona="office"):
    with capture(execute=True):
        response = client_for(persona).post(
            f"/assessment/schemes/{scheme.pk}/import/", {"file": file}
        )
    return response


def errors_of(job) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in job.result["errors"]}


# --- the template ------------------------------------------------------------------------------


def test_template_has_the_columns_and_explains_every_method_and_parameter(org, client_for):
    response = client_for("office").get("/assessment/import-template/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet, notes = book.worksheets
    assert [c.value for c in sheet[1]] == headers()
    assert sheet[1][0].value.endswith("*") and not sheet[1][2].value.endswith("*")
    assert sheet.freeze_panes == "C2"
    text = "\n".join(str(v) for row in notes.iter_rows(values_only=True) for v in row if v)
    for method, label in scoring.METHODS.items():
        assert method in text and label in text
        for spec in scoring.PARAMS[method]:
            assert spec.name in text and spec.label in text
    for column in imports.COLUMNS:
        assert column.header in text


def test_template_and_import_pages_belong_to_the_supervision_office(org, client_for, scheme):
    assert check_matrix(client_for, "get", "/assessment/import-template/", OFFICE_ONLY) == []
    url = f"/assessment/schemes/{scheme.pk}/import/"
    assert check_matrix(client_for, "get", url, OFFICE_ONLY) == []
    refused = {k: v for k, v in OFFICE_ONLY.items() if v != 200}
    data = {"file": workbook([line(code="1", name="重点工作", points=10)])}
    assert check_matrix(client_for, "post", url, refused, data=data) == []
    assert not Job.objects.exists()


def test_a_scheme_the_office_does_not_see_is_not_found(org, client_for):
    other = make_scheme(org, name="发改系统考核方案")
    other.units.set([org.peer])
    assert client_for("office").get(f"/assessment/schemes/{other.pk}/import/").status_code == 404


def test_a_file_that_is_not_excel_is_refused_at_the_form(org, client_for, scheme):
    fake = io.BytesIO(b"not a spreadsheet")
    fake.name = "scheme.xlsx"
    response = client_for("office").post(f"/assessment/schemes/{scheme.pk}/import/", {"file": fake})
    assert response.status_code == 400
    assert not Job.objects.exists()


# --- a good file -------------------------------------------------------------------------------


def test_a_good_file_creates_the_tree_with_people_sections_and_materials(
    org, client_for, scheme, django_capture_on_commit_callbacks
):
    rows = [
        # A child before its parent: parents are resolved after the whole file is read.
        line(
            code="1.1",
            name="建筑业总产值",
            parent="1",
            points=10,
            method="按完成比例加减分",
            params="每步扣分=1；步长=1；每步加分=0.5；加分上限=2",
            target=90,
            unit_of_measure="亿元",
            direction="越高越好",
            value_kind="累计",
            rule_text="每少1%扣1分",
            assessor_department="县统计局",
            lead_section="股室A",
            responsible_leader="leader",
            responsible_person="staff_a",
            materials="统计月报；产值台账\n企业名单",
            is_bonus="否",
        ),
        line(code="1", name="重点工作", points=15),
        line(code="1.2", name="安全生产", parent="1", points=5),
        line(
            code="1.2.1",
            name="安全事故",
            parent="1.2",
            points=5,
            method="deduct_per_event",
            params="per_event=1; cap=5",
            value_kind="次数",
            direction="越低越好",
        ),
        line(
            code="2",
            name="省级表彰",
            points=2,
            method="加分（封顶）",
            params="加分上限=2",
            is_bonus="是",
        ),
    ]
    response = upload(client_for, scheme, workbook(rows), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "succeeded", job.result
    assert job.result["created"] == 5 and job.result["materials"] == 3
    assert job.result["next_url"] == f"/assessment/schemes/{scheme.pk}/"

    made = {i.code: i for i in Indicator.objects.filter(scheme=scheme)}
    output = made["1.1"]
    assert (output.parent, output.level, output.method) == (made["1"], 2, "completion_linear")
    assert output.params == {
        "penalty_per_step": "1",
        "step": "1",
        "bonus_per_step": "0.5",
        "bonus_cap": "2",
    }
    assert output.target == Decimal("90") and output.points == Decimal("10")
    assert output.value_kind == ValueKind.CUMULATIVE and output.direction == "higher"
    assert output.lead_section == org.section_a
    assert output.responsible_leader == org.person("leader")
    assert output.responsible_person == org.person("staff_a")
    assert (output.unit_of_measure, output.rule_text, output.assessor_department) == (
        "亿元",
        "每少1%扣1分",
        "县统计局",
    )
    assert list(output.materials.values_list("name", flat=True)) == [
        "统计月报",
        "产值台账",
        "企业名单",
    ]
    assert (made["1"].method, made["1"].level, made["1"].parent) == ("", 1, None)
    accidents = made["1.2.1"]
    assert (accidents.level, accidents.method, accidents.params) == (
        3,
        "deduct_per_event",
        {"per_event": "1", "cap": "5"},
    )
    assert (accidents.value_kind, accidents.direction) == ("count", "lower")
    assert made["2"].is_bonus and made["2"].params == {"cap": "2"}
    # File order is the display order.
    ordered = list(Indicator.objects.filter(scheme=scheme).order_by("sort_order"))
    assert [i.code for i in ordered] == ["1.1", "1", "1.2", "1.2.1", "2"]
    for indicator in made.values():
        indicator.full_clean()  # what the import wrote passes the model's own rules


def test_rows_may_hang_under_a_category_already_in_the_scheme(
    org, client_for, scheme, django_capture_on_commit_callbacks
):
    category = make_indicator(scheme, "1", "重点工作", 20, method="", target=None, sort_order=500)
    rows = [line(code="1.9", name="新增指标", parent="1", points=5, method="binary", target=1)]
    upload(client_for, scheme, workbook(rows), django_capture_on_commit_callbacks)
    assert Job.objects.get().status == "succeeded"
    added = Indicator.objects.get(code="1.9")
    assert (added.parent, added.level, added.sort_order) == (category, 2, 510)


def test_the_english_headers_and_method_codes_are_read_too(
    org, client_for, scheme, django_capture_on_commit_callbacks
):
    header_row = [c.msgid for c in imports.COLUMNS]
    rows = [
        line(
            code="1",
            name="A",
            points=5,
            method="binary",
            target=1,
            direction="lower",
            value_kind="count",
        )
    ]
    upload(client_for, scheme, workbook(rows, header_row), django_capture_on_commit_callbacks)
    assert Job.objects.get().status == "succeeded"
    made = Indicator.objects.get(code="1")
    assert (made.direction, made.value_kind) == ("lower", "count")


def test_the_headers_of_the_assessors_own_sheet_are_read(
    org, client_for, scheme, django_capture_on_commit_callbacks
):
    # Columns in another order, some left out, headed as the assessor heads them.
    header_row = ["名称*", "编码*", "基本分", "计分方法", "参数", "目标值", "方向", "上级编码"]
    rows = [
        ["重点工作", "1", 10, None, None, None, None, None],
        ["产值", "1.1", 10, "completion_linear", "penalty_per_step=1", 90, "越低越好", "1"],
    ]
    upload(client_for, scheme, workbook(rows, header_row), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == "succeeded", job.result
    made = Indicator.objects.get(code="1.1")
    assert (made.parent.code, made.direction, made.target) == ("1", "lower", Decimal(90))


def test_errors_name_the_column_where_it_is_in_the_sheet(
    org, client_for, scheme, django_capture_on_commit_callbacks
):
    header_row = ["名称", "编码", "分值", "牵头股室"]
    rows = [["产值", "1", "十", "股室Z"]]
    upload(client_for, scheme, workbook(rows, header_row), django_capture_on_commit_callbacks)
    assert errors_of(Job.objects.get()) == {(2, "C"), (2, "D")}


def test_a_shared_name_is_refused_until_the_section_is_written(
    org, client_for, scheme, django_capture_on_commit_callbacks
):
    make_person(org.bureau, org.section_a, name="张三")
    c_zhang = make_person(org.bureau, org.section_c, name="张三")
    rows = [
        line(code="1", name="A", points=5, method="binary", target=1, responsible_person="张三")
    ]
    upload(client_for, scheme, workbook(rows), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == "failed"
    (error,) = job.result["errors"]
    assert (error["row"], error["column"]) == (2, "O")
    assert "股室A/张三" in error["message"] and "股室C/张三" in error["message"]

    rows = [
        line(
            code="1",
            name="A",
            points=5,
            method="binary",
            target=1,
            responsible_person="股室C／张三",
        )
    ]
    upload(client_for, scheme, workbook(rows), django_capture_on_commit_callbacks)
    assert Job.objects.latest("pk").status == "succeeded"
    assert Indicator.objects.get(code="1").responsible_person == c_zhang


# --- every error, all or nothing ----------------------------------------------------------------


def test_every_error_is_reported_at_its_cell_and_nothing_is_imported(
    org, client_for, scheme, django_capture_on_commit_callbacks
):
    make_indicator(scheme, "9", "已有指标", 5, method="binary", target=1)
    make_person(org.bureau, org.section_a, name="李四")
    make_person(org.bureau, org.section_c, name="李四")
    make_person(org.peer, org.section_d, name="王五")  # another unit: not a match
    before = Indicator.objects.count()
    rows = [
        line(code="1", name="好的类别", points=10),  # row 2: fine
        line(name="无编码", points=1),  # row 3: code
        line(code="3", points=1),  # row 4: name
        line(code="4", name="无分值"),  # row 5: points
        line(code="5", name="分值不是数", points="十"),  # row 6: points
        line(code="6", name="未知方法", points=1, method="拍脑袋"),  # row 7: method
        line(
            code="7",
            name="参数为负",
            points=5,
            method="completion_linear",
            params="penalty_per_step=-1",
            target=100,
        ),  # row 8: params
        line(
            code="8", name="参数不成对", points=5, method="deduct_per_event", params="per_event 1"
        ),  # row 9: params (and the required per_event missing)
        line(code="9", name="与方案重复", points=5),  # row 10: code already in the scheme
        line(code="1", name="文件内重复", points=5),  # row 11: code also on row 2
        line(code="12", name="上级不存在", parent="X", points=5),  # row 12: parent
        line(code="13", name="缺目标值", points=5, method="binary"),  # row 13: target
        line(code="14", name="股室不存在", points=5, lead_section="股室Z"),  # row 14: section
        line(code="15", name="人员不存在", points=5, responsible_leader="王五"),  # row 15: leader
        line(code="16", name="人员重名", points=5, responsible_person="李四"),  # row 16: person
        line(code="17", name="二级", parent="1", points=5),  # row 17: fine
        line(code="18", name="三级", parent="17", points=5),  # row 18: fine
        line(code="19", name="四级", parent="18", points=5),  # row 19: too deep
        line(code="20", name="方向", points=5, direction="越大越好"),  # row 20: direction
        line(code="21", name="类型", points=5, value_kind="累积"),  # row 21: kind
        line(code="22", name="加分", points=5, is_bonus="也许"),  # row 22: bonus
        line(code="23", name="类别带参数", points=5, params="cap=1"),  # row 23: params
        line(code="24", name="叶子", points=5, method="binary", target=1),  # row 24: fine
        line(code="25", name="挂在叶子下", parent="24", points=1),  # row 25: parent
        line(code="26", name="循环甲", parent="27", points=1),  # row 26: loop
        line(code="27", name="循环乙", parent="26", points=1),  # row 27: loop
        line(code="28", name="目标非数", points=5, method="binary", target="一百"),  # row 28
        line(code="29", name="自己", parent="29", points=1),  # row 29: own parent
        line(code="30", name="小数过多", points="1.234"),  # row 30: points
    ]
    upload(client_for, scheme, workbook(rows), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == "failed"
    assert errors_of(job) == {
        (3, "A"),
        (4, "B"),
        (5, "D"),
        (6, "D"),
        (7, "E"),
        (8, "F"),
        (9, "F"),
        (10, "A"),
        (11, "A"),
        (12, "C"),
        (13, "G"),
        (14, "M"),
        (15, "N"),
        (16, "O"),
        (19, "C"),
        (20, "I"),
        (21, "J"),
        (22, "Q"),
        (23, "F"),
        (25, "C"),
        (26, "C"),
        (27, "C"),
        (28, "G"),
        (29, "C"),
        (30, "D"),
    }
    messages = {(e["row"], e["column"]): e["message"] for e in job.result["errors"]}
    assert messages[(11, "A")] == gettext("The code “%(c)s” is also on row %(r)d.") % {
        "c": "1",
        "r": 2,
    }
    assert messages[(8, "F")] == "每步扣分不能为负数"
    assert messages[(13, "G")] == "缺少目标值"
    assert job.result["error_count"] == len(job.result["errors"])
    assert [e["row"] for e in job.result["errors"]] == sorted(
        e["row"] for e in job.result["errors"]
    )
    assert Indicator.objects.count() == before
    assert not RequiredMaterial.objects.exists()
    page = client_for("office").get(f"/jobs/{job.pk}/").content.decode()
    assert "job-errors" in page


def test_a_missing_required_column_is_reported_on_the_header_row(
    org, client_for, scheme, django_capture_on_commit_callbacks
):
    header_row = [h for h in headers() if not h.startswith(imports.BY_KEY["points"].header)]
    upload(
        client_for, scheme, workbook([["1", "A"]], header_row), django_capture_on_commit_callbacks
    )
    job = Job.objects.get()
    assert job.status == "failed"
    (error,) = job.result["errors"]
    assert (error["row"], error["column"], error["header"]) == (
        1,
        "",
        imports.BY_KEY["points"].header,
    )


def test_an_empty_file_imports_nothing(org, client_for, scheme, django_capture_on_commit_callbacks):
    upload(client_for, scheme, workbook([]), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == "failed" and not Indicator.objects.exists()


def test_the_import_is_audited_as_a_job(
    org, client_for, scheme, django_capture_on_commit_callbacks
):
    from duban.audit.models import ObjectChange

    upload(
        client_for,
        scheme,
        workbook([line(code="1", name="重点工作", points=10)]),
        django_capture_on_commit_callbacks,
    )
    change = ObjectChange.objects.get(action="create", object_repr="1 重点工作")
    assert change.source == "job:assessment.import_scheme" and change.user_name == "office"


# --- the job checks the scheme again ------------------------------------------------------------


def _job(org, scheme, persona="office", rows=None):
    from django.core.files.base import ContentFile

    job = Job.objects.create(
        kind="assessment.import_scheme",
        title="t",
        params={"scheme_id": scheme.pk},
        created_by=org.users[persona],
    )
    content = workbook(rows or [line(code="1", name="重点工作", points=10)]).getvalue()
    job.input_file.save("scheme.xlsx", ContentFile(content), save=True)
    return job


def test_the_job_refuses_a_user_who_may_not_change_the_scheme(org, scheme):
    with pytest.raises(JobFailed):
        imports.run_scheme_import(_job(org, scheme, "staff_a"), lambda *a: None)
    assert not Indicator.objects.exists()


def test_the_job_refuses_a_closed_scheme(org, scheme):
    scheme.status = SchemeStatus.CLOSED
    scheme.save()
    with pytest.raises(JobFailed):
        imports.run_scheme_import(_job(org, scheme), lambda *a: None)


def test_the_job_refuses_when_the_scheme_changed_during_the_check(org, scheme, monkeypatch):
    job = _job(org, scheme)
    real_parse = imports.parse_scheme

    def parse_then_someone_adds(*args, **kwargs):
        outcome = real_parse(*args, **kwargs)
        make_indicator(scheme, "1", "别人加的", 5, method="binary", target=1)
        return outcome

    monkeypatch.setattr(imports, "parse_scheme", parse_then_someone_adds)
    with pytest.raises(JobFailed):
        imports.run_scheme_import(job, lambda *a: None)
    assert list(Indicator.objects.values_list("name", flat=True)) == ["别人加的"]


def test_sections_and_people_are_matched_in_the_importers_unit_only(org, scheme):
    other = make_unit("某县住建局二分局", "ZJ2", parent=org.bureau)
    make_person(other, None, name="分局长")
    rows = [line(code="1", name="A", points=5, lead_section="股室D", responsible_leader="分局长")]
    with pytest.raises(JobFailed) as failure:
        imports.run_scheme_import(_job(org, scheme, rows=rows), lambda *a: None)
    assert {(e["row"], e["column"]) for e in failure.value.details["errors"]} == {
        (2, "M"),
        (2, "N"),
    }
