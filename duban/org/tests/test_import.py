"""Excel import of people: a job with progress, all or nothing, errors by row and column."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from duban.core.models import Job
from duban.org.imports import columns
from duban.org.models import Person


def headers() -> list[str]:
    return [str(header) for _key, header, _required in columns()]


def workbook(rows, header_row=None) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header_row or headers())
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "people.xlsx"
    return buffer


def upload(client, file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/org/people/import/", {"file": file})
    return response


def test_template_downloads_with_the_expected_headers(org, client_for):
    response = client_for("sysadmin").get("/org/people/import/template/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert (
        [c.value for c in sheet[1]]
        == headers()
        == ["姓名", "单位代码", "股室", "职务", "电话", "是否在岗（是/否）"]
    )


def test_a_good_file_imports_everyone(org, client_for, django_capture_on_commit_callbacks):
    file = workbook(
        [["王五", "ZJJ", "股室A", "科员", "13900000001", "是"], ["赵六", "ZJJ", "", "", "", "否"]]
    )
    response = upload(client_for("sysadmin"), file, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "succeeded" and job.result["created"] == 2
    assert Person.objects.get(name="王五").section == org.section_a
    assert Person.objects.get(name="赵六").is_active is False
    page = client_for("sysadmin").get(f"/jobs/{job.pk}/").content.decode()
    assert "新增 2" in page or "2" in page


def test_one_bad_row_imports_nothing_and_names_row_and_column(
    org, client_for, django_capture_on_commit_callbacks
):
    file = workbook(
        [
            ["王五", "ZJJ", "股室A", "科员", "13900000001", "是"],
            ["", "NOPE", "不存在的股室", "", "电话", "也许"],
        ]
    )
    upload(client_for("sysadmin"), file, django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == "failed"
    cells = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert cells == {(3, "A"), (3, "B"), (3, "E"), (3, "F")}
    assert not Person.objects.filter(name="王五").exists()
    body = client_for("sysadmin").get(f"/jobs/{job.pk}/").content.decode()
    assert "job-errors" in body


def test_missing_required_column_is_reported(org, client_for, django_capture_on_commit_callbacks):
    upload(
        client_for("sysadmin"),
        workbook([["王五"]], header_row=["姓名"]),
        django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    assert job.status == "failed" and job.result["errors"][0]["header"] == "单位代码"


def test_a_file_that_is_not_excel_is_refused_at_the_form(org, client_for):
    fake = io.BytesIO(b"not a spreadsheet")
    fake.name = "people.xlsx"
    response = client_for("sysadmin").post("/org/people/import/", {"file": fake})
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_units_the_importer_may_not_see_are_unknown(
    org, client_for, django_capture_on_commit_callbacks
):
    # The system administrator sees every unit; the codes are checked against what they may manage.
    upload(
        client_for("sysadmin"),
        workbook([["王五", "FGJ", "股室D", "", "", ""]]),
        django_capture_on_commit_callbacks,
    )
    assert Job.objects.get().status == "succeeded"


def test_jobs_are_private_to_their_starter(org, client_for, django_capture_on_commit_callbacks):
    upload(
        client_for("sysadmin"),
        workbook([["王五", "ZJJ", "", "", "", ""]]),
        django_capture_on_commit_callbacks,
    )
    job = Job.objects.get()
    assert client_for("director").get(f"/jobs/{job.pk}/").status_code == 404
    assert client_for("sysadmin").get(f"/api/v1/jobs/{job.pk}/").json()["status"] == "succeeded"


def test_the_import_is_audited_as_a_job(org, client_for, django_capture_on_commit_callbacks):
    from duban.audit.models import ObjectChange

    upload(
        client_for("sysadmin"),
        workbook([["王五", "ZJJ", "", "", "", ""]]),
        django_capture_on_commit_callbacks,
    )
    change = ObjectChange.objects.get(action="create", object_repr="王五")
    assert change.source == "job:org.import_people" and change.user_name == "sysadmin"
