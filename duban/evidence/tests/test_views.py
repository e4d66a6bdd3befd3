"""Evidence pages: the persona matrix, uploading (once), new versions, archiving, downloading."""

from __future__ import annotations

import io
from urllib.parse import quote, unquote

import pytest
from django.utils.html import escape
from django.utils.translation import gettext

from duban.accounts.roles import Role
from duban.core.testing import check_matrix
from duban.evidence.models import Blob, Document, Version
from duban.evidence.tests.factories import (
    docx_bytes,
    exe_bytes,
    make_document,
    pdf_bytes,
    png_bytes,
    upload_file,
)
from duban.evidence.views import reused_message
from duban.org.tests import factories as org_factories

BUSINESS = ("director", "leader", "chief_a", "staff_a", "staff_c", "office")
ADMINS = {"auditor": 403, "sysadmin": 403, "secadmin": 403}
READERS = {**dict.fromkeys(BUSINESS, 200), **ADMINS, "anonymous": 302}
# Writers of a section A document: its section, its leader, the director and the office — not staff_c.
WRITERS_OF_A = ("director", "leader", "chief_a", "staff_a", "office")


@pytest.fixture
def doc_a(org):
    return make_document(org.users["staff_a"], org.section_a, title="安全生产检查台账")


@pytest.fixture
def doc_peer(org):
    outsider = org_factories.make_member("peer_staff", Role.STAFF, org.peer, org.section_d)
    return make_document(outsider, org.section_d, title="外单位资料")


# --- the matrix -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/evidence/", "/evidence/?export=xlsx", "/evidence/upload/"])
def test_pages_open_to_every_business_role_and_no_administrator(client_for, url):
    assert check_matrix(client_for, "get", url, READERS) == []


def test_a_document_and_its_downloads_are_read_by_everyone_in_the_unit(doc_a, client_for):
    for url in (f"/evidence/{doc_a.pk}/", doc_a.current_version.get_download_url()):
        assert check_matrix(client_for, "get", url, READERS) == []


def test_another_units_evidence_is_not_found(doc_peer, client_for):
    expected = {**dict.fromkeys(BUSINESS, 404), **ADMINS}
    for url in (f"/evidence/{doc_peer.pk}/", doc_peer.current_version.get_download_url()):
        assert check_matrix(client_for, "get", url, expected) == []


def test_new_versions_are_for_the_documents_section_only(doc_a, client_for):
    # Without a file the form is refused (400) for writers; others never learn more than 403/404.
    expected = {
        **dict.fromkeys(WRITERS_OF_A, 400),
        "staff_c": 404,
        **ADMINS,
        "anonymous": 302,
    }
    url = f"/evidence/{doc_a.pk}/versions/"
    assert check_matrix(client_for, "post", url, expected, {"note": "x"}) == []


def test_refused_version_uploads_change_nothing(doc_a, client_for, settings):
    expected = {"staff_c": 404, **ADMINS, "anonymous": 302}
    for persona, status in expected.items():
        data = {"note": "越权", "file": upload_file()}
        response = client_for(persona).post(f"/evidence/{doc_a.pk}/versions/", data)
        assert response.status_code == status, persona
    assert doc_a.versions.count() == 1 and Blob.objects.count() == 1


def test_archiving_is_for_the_documents_section_only(doc_a, client_for):
    refused = {"staff_c": 404, **ADMINS, "anonymous": 302}
    data = {"reason": "重复上传", "version": doc_a.version}
    assert check_matrix(client_for, "post", f"/evidence/{doc_a.pk}/archive/", refused, data) == []
    doc_a.refresh_from_db()
    assert not doc_a.is_archived
    for persona in WRITERS_OF_A:
        response = client_for(persona).post(f"/evidence/{doc_a.pk}/archive/", data)
        assert response.status_code == 302, persona


@pytest.mark.parametrize("persona", WRITERS_OF_A)
def test_each_writer_of_section_a_archives_with_a_reason(org, client_for, persona):
    document = make_document(org.users["staff_a"], org.section_a)
    client = client_for(persona)
    client.post(f"/evidence/{document.pk}/archive/", {"reason": "", "version": document.version})
    document.refresh_from_db()
    assert not document.is_archived
    client.post(
        f"/evidence/{document.pk}/archive/", {"reason": "材料作废", "version": document.version}
    )
    document.refresh_from_db()
    assert document.is_archived and document.archive_reason == "材料作废"
    assert Document.objects.filter(pk=document.pk).exists()


def test_refused_uploads_by_administrators_change_nothing(org, client_for):
    expected = {**ADMINS, "anonymous": 302}
    data = {"title": "x", "section": org.section_a.pk}
    assert check_matrix(client_for, "post", "/evidence/upload/", expected, data) == []


# --- uploading ------------------------------------------------------------------------------


def test_uploading_files_a_document_and_shows_it(org, client_for):
    client = client_for("staff_a")
    response = client.post(
        "/evidence/upload/",
        {
            "title": "消防验收意见书",
            "section": org.section_a.pk,
            "description": "2026年",
            "file": upload_file(pdf_bytes(), "消防验收意见书.pdf"),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert "消防验收意见书" in page and "v1" in page
    assert document.current_version.get_download_url() in page


def test_the_upload_form_offers_only_the_sections_one_may_file_under(org, client_for):
    form = client_for("leader").get("/evidence/upload/").context["form"]
    assert set(form.fields["section"].queryset) == {org.section_a, org.section_b}
    staff_form = client_for("staff_a").get("/evidence/upload/").context["form"]
    assert list(staff_form.fields["section"].queryset) == [org.section_a]
    assert staff_form.fields["section"].required
    director_form = client_for("director").get("/evidence/upload/").context["form"]
    assert not director_form.fields["section"].required
    assert org.section_d not in director_form.fields["section"].queryset


def test_a_duplicate_upload_says_so_and_leads_to_the_existing_document(org, client_for, doc_a):
    data = Version.objects.get(document=doc_a).blob.file.open("rb").read()
    response = client_for("staff_c").post(
        "/evidence/upload/",
        {"title": "另一个标题", "section": org.section_c.pk, "file": upload_file(data, "副本.pdf")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == doc_a.get_absolute_url()
    assert escape(reused_message(doc_a)) in response.content.decode()
    assert Document.objects.count() == 1 and Blob.objects.count() == 1


def test_a_refused_file_is_explained_at_the_field_and_the_typed_values_are_kept(org, client_for):
    response = client_for("staff_a").post(
        "/evidence/upload/",
        {
            "title": "我输入的标题",
            "section": org.section_a.pk,
            "file": upload_file(exe_bytes(), "报告.pdf"),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "我输入的标题" in body
    assert response.context["form"].errors["file"]
    assert "is-invalid" in body
    assert Document.objects.count() == 0


def test_a_section_outside_ones_own_is_refused(org, client_for):
    response = client_for("staff_c").post(
        "/evidence/upload/", {"title": "越权", "section": org.section_a.pk, "file": upload_file()}
    )
    assert response.status_code == 400 and "section" in response.context["form"].errors
    assert Document.objects.count() == 0


# --- versions -------------------------------------------------------------------------------


def test_a_new_version_is_added_and_the_old_one_stays_downloadable(doc_a, client_for):
    client = client_for("chief_a")
    response = client.post(
        f"/evidence/{doc_a.pk}/versions/",
        {"note": "补充签字页", "file": upload_file(docx_bytes(), "台账（修订）.docx")},
    )
    assert response.status_code == 302
    doc_a.refresh_from_db()
    assert doc_a.current_version.number == 2
    page = client.get(doc_a.get_absolute_url()).content.decode()
    for version in doc_a.versions.all():
        assert version.get_download_url() in page
    assert "补充签字页" in page and "台账（修订）.docx" in page


def test_uploading_the_current_file_again_is_explained(doc_a, client_for):
    data = doc_a.current_version.blob.file.open("rb").read()
    response = client_for("staff_a").post(
        f"/evidence/{doc_a.pk}/versions/", {"file": upload_file(data)}
    )
    assert response.status_code == 400
    assert response.context["version_form"].errors["file"]
    assert doc_a.versions.count() == 1


def test_the_detail_page_offers_writing_only_to_writers(doc_a, client_for):
    writer = client_for("staff_a").get(doc_a.get_absolute_url())
    reader = client_for("staff_c").get(doc_a.get_absolute_url())
    assert writer.context["version_form"] is not None and writer.context["can_change"]
    assert reader.context["version_form"] is None and not reader.context["can_change"]
    assert 'id="archive-form"' not in reader.content.decode()


# --- the library list -----------------------------------------------------------------------


def test_the_library_lists_the_units_active_documents(org, client_for, doc_a, doc_peer):
    archived = make_document(org.users["staff_a"], org.section_a, title="已归档资料")
    client_for("staff_a").post(
        f"/evidence/{archived.pk}/archive/", {"reason": "过期", "version": archived.version}
    )
    rows = {d.title for d in client_for("staff_c").get("/evidence/").context["table"].data}
    assert rows == {"安全生产检查台账"}
    shown = client_for("staff_c").get("/evidence/", {"archived": "true"}).context["table"].data
    assert {d.title for d in shown} == {"已归档资料"}


def test_the_library_filters_by_kind_section_and_words(org, client_for, doc_a):
    make_document(
        org.users["staff_c"], org.section_c, png_bytes(), title="现场照片", name="照片.png"
    )
    client = client_for("director")

    def titles(**query):
        return {d.title for d in client.get("/evidence/", query).context["table"].data}

    assert titles(kind="png") == {"现场照片"}
    assert titles(section=org.section_a.pk) == {"安全生产检查台账"}
    assert titles(q="照片") == {"现场照片"}


def test_the_export_is_an_excel_file_named_after_the_library(org, client_for, doc_a):
    from openpyxl import load_workbook

    response = client_for("director").get("/evidence/", {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][0] == "安全生产检查台账"
    assert f"{gettext('Evidence library')}.xlsx" in unquote(response["Content-Disposition"])


# --- downloading ----------------------------------------------------------------------------


def test_a_download_is_an_attachment_with_the_sniffed_type_and_the_chinese_name(org, client_for):
    data = pdf_bytes()
    document = make_document(org.users["staff_a"], org.section_a, data, name="验收报告（盖章）.pdf")
    response = client_for("staff_c").get(document.current_version.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('验收报告（盖章）.pdf')}" in disposition


def test_a_renamed_image_is_served_as_what_it_is(org, client_for):
    document = make_document(org.users["staff_a"], org.section_a, png_bytes(), name="扫描件.pdf")
    response = client_for("staff_a").get(document.current_version.get_download_url())
    assert response["Content-Type"] == "image/png"


def test_a_missing_version_is_not_found(client_for, org):
    assert client_for("staff_a").get("/evidence/versions/999999/download/").status_code == 404


def test_the_detail_page_shows_what_uses_the_document(doc_a, client_for, monkeypatch):
    from duban.evidence import views
    from duban.evidence.usage import UsageGroup, UsageItem

    seen = {}

    def fake_used_by(document, user):
        seen["args"] = (document, user)
        return [UsageGroup("考评指标", [UsageItem("1.2 安全生产", "/assessment/indicators/7/")])]

    monkeypatch.setattr(views, "used_by", fake_used_by)
    response = client_for("staff_c").get(doc_a.get_absolute_url())
    body = response.content.decode()
    assert seen["args"] == (doc_a, response.wsgi_request.user)
    assert "考评指标" in body and 'href="/assessment/indicators/7/"' in body
