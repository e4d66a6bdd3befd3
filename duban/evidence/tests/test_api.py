"""Evidence API: scoped like the pages; a multipart upload answers 201, 200 when reused, 400 when refused."""

from __future__ import annotations

import pytest

from duban.accounts.roles import Role
from duban.core import services as core_services
from duban.core.testing import check_matrix
from duban.evidence.models import Blob, Document
from duban.evidence.tests.factories import exe_bytes, make_document, pdf_bytes, upload_file
from duban.org.tests import factories as org_factories

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
ADMINS = {"auditor": 403, "sysadmin": 403, "secadmin": 403}
READERS = {**dict.fromkeys(BUSINESS, 200), **ADMINS, "anonymous": 401}
URL = "/api/v1/evidence/documents/"


@pytest.fixture
def doc_a(org):
    return make_document(org.users["staff_a"], org.section_a, title="整改台账")


@pytest.fixture
def doc_peer(org):
    outsider = org_factories.make_member("peer_staff", Role.STAFF, org.peer, org.section_d)
    return make_document(outsider, org.section_d, title="外单位资料")


def test_read_endpoints_follow_the_matrix(doc_a, client_for):
    for url in (URL, f"{URL}{doc_a.pk}/", f"{URL}{doc_a.pk}/versions/"):
        assert check_matrix(client_for, "get", url, READERS) == []


def test_another_units_documents_are_not_found(doc_peer, client_for):
    expected = {**dict.fromkeys(BUSINESS, 404), **ADMINS}
    for url in (f"{URL}{doc_peer.pk}/", f"{URL}{doc_peer.pk}/versions/"):
        assert check_matrix(client_for, "get", url, expected) == []
    titles = {d["title"] for d in client_for("director").get(URL).json()["results"]}
    assert "外单位资料" not in titles


def test_administrators_cannot_upload_and_their_attempt_changes_nothing(org, client_for):
    expected = {**ADMINS, "anonymous": 401}
    data = {"title": "x", "section": org.section_a.pk}
    assert check_matrix(client_for, "post", URL, expected, data) == []


def test_an_upload_answers_201_and_the_same_file_again_200_reused(org, client_for):
    client = client_for("staff_a")
    data = pdf_bytes()
    created = client.post(
        URL,
        {"title": "验收报告", "section": org.section_a.pk, "file": upload_file(data, "验收.pdf")},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reused"] is False and body["title"] == "验收报告"
    assert body["current_version"]["number"] == 1
    assert body["current_version"]["kind"] == "pdf"
    assert body["current_version"]["original_name"] == "验收.pdf"
    again = client_for("staff_c").post(
        URL, {"title": "重复", "section": org.section_c.pk, "file": upload_file(data)}
    )
    assert again.status_code == 200
    assert again.json()["reused"] is True and again.json()["id"] == body["id"]
    assert Document.objects.count() == 1 and Blob.objects.count() == 1


def test_a_refused_file_is_a_400_at_the_file_field(org, client_for):
    response = client_for("staff_a").post(
        URL, {"title": "伪装", "section": org.section_a.pk, "file": upload_file(exe_bytes())}
    )
    assert response.status_code == 400
    assert "PDF" in response.json()["file"][0]
    assert Document.objects.count() == 0 and Blob.objects.count() == 0


def test_missing_file_and_foreign_section_are_field_errors_in_chinese(org, client_for):
    response = client_for("staff_c").post(
        URL, {"title": "x", "section": org.section_a.pk}, content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"file", "section"}
    assert "必填" in body["file"][0] or "没有提交" in body["file"][0]
    assert Document.objects.count() == 0


def test_versions_are_listed_newest_first(org, client_for, doc_a):
    from duban.evidence import services

    services.upload(org.users["chief_a"], upload_file(), document=doc_a, note="第二版")
    versions = client_for("staff_c").get(f"{URL}{doc_a.pk}/versions/").json()["results"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["note"] == "第二版"
    assert versions[0]["download_url"] == f"/evidence/versions/{versions[0]['id']}/download/"


def test_the_list_hides_archived_documents_unless_asked_but_each_stays_readable(
    org, client_for, doc_a
):
    core_services.archive(doc_a, org.users["staff_a"], "作废")
    client = client_for("staff_a")
    assert client.get(URL).json()["results"] == []
    archived = client.get(URL, {"archived": "true"}).json()["results"]
    assert [d["id"] for d in archived] == [doc_a.pk]
    assert client.get(f"{URL}{doc_a.pk}/").json()["archive_reason"] == "作废"


def test_no_hard_delete_through_the_api(doc_a, client_for):
    response = client_for("director").delete(f"{URL}{doc_a.pk}/")
    assert response.status_code in (403, 405)
    assert Document.objects.filter(pk=doc_a.pk).exists()
