"""Uploading: checked by content, stored once (最多报一次), versioned, never overwritten."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage

from duban.accounts.roles import Role
from duban.audit.models import ObjectChange
from duban.core import services as core_services
from duban.core.exceptions import BusinessRuleError
from duban.evidence import services
from duban.evidence.models import Blob, Document, Version
from duban.evidence.tests.factories import (
    docx_bytes,
    exe_bytes,
    make_document,
    pdf_bytes,
    upload_file,
)
from duban.org.tests import factories as org_factories


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_new_file_becomes_a_document_with_version_1(org, settings):
    data = pdf_bytes()
    document, version, reused = services.upload(
        org.users["staff_a"],
        upload_file(data, "2026年度自查报告.pdf"),
        title="自查报告",
        section=org.section_a,
        description="上半年",
    )
    assert reused is False
    assert (document.title, document.unit, document.section) == (
        "自查报告",
        org.bureau,
        org.section_a,
    )
    assert document.current_version == version
    assert (version.number, version.original_name) == (1, "2026年度自查报告.pdf")
    blob = version.blob
    sha = hashlib.sha256(data).hexdigest()
    assert (blob.sha256, blob.size, blob.kind, blob.mime) == (
        sha,
        len(data),
        "pdf",
        "application/pdf",
    )
    assert blob.file.name == f"evidence/{sha[:2]}/{sha}"
    with default_storage.open(blob.file.name, "rb") as handle:
        assert handle.read() == data


def test_the_same_file_uploaded_twice_is_stored_once_and_filed_once(org, settings):
    data = pdf_bytes()
    first = services.upload(
        org.users["staff_a"], upload_file(data, "a.pdf"), "第一次", org.section_a
    )
    second = services.upload(
        org.users["staff_a"], upload_file(data, "b.pdf"), "第二次", org.section_a
    )
    assert second.reused is True
    assert second.document == first.document and second.version == first.version
    assert (Blob.objects.count(), Document.objects.count(), Version.objects.count()) == (1, 1, 1)
    assert len(stored_files(settings)) == 1


def test_a_colleague_uploading_the_same_file_is_sent_to_the_existing_document(org):
    data = pdf_bytes()
    first = services.upload(org.users["staff_a"], upload_file(data), "股室A的材料", org.section_a)
    again = services.upload(org.users["staff_c"], upload_file(data), "股室C的材料", org.section_c)
    assert again.reused is True and again.document == first.document
    assert Document.objects.count() == 1


def test_the_same_bytes_in_another_unit_share_the_blob_but_not_the_document(org, settings):
    outsider = org_factories.make_member("peer_staff", Role.STAFF, org.peer, org.section_d)
    data = pdf_bytes()
    ours = services.upload(org.users["staff_a"], upload_file(data), "本局材料", org.section_a)
    theirs = services.upload(outsider, upload_file(data), "外单位材料", org.section_d)
    assert theirs.reused is False
    assert theirs.document != ours.document and theirs.document.unit == org.peer
    assert theirs.version.blob == ours.version.blob
    assert Blob.objects.count() == 1 and len(stored_files(settings)) == 1


def test_an_archived_document_does_not_capture_a_new_upload_of_its_file(org):
    data = pdf_bytes()
    old = services.upload(org.users["staff_a"], upload_file(data), "旧材料", org.section_a)
    core_services.archive(old.document, org.users["staff_a"], "重新整理")
    new = services.upload(org.users["staff_a"], upload_file(data), "新材料", org.section_a)
    assert new.reused is False and new.document != old.document
    assert new.version.blob == old.version.blob


def test_a_new_version_is_numbered_next_becomes_current_and_keeps_the_old_one(org):
    staff = org.users["staff_a"]
    document = make_document(staff, org.section_a)
    first = document.current_version
    result = services.upload(
        org.users["chief_a"],
        upload_file(docx_bytes(), "修订稿.docx"),
        document=document,
        note="补充附件",
    )
    document.refresh_from_db()
    assert result.reused is False and result.document == document
    assert (result.version.number, result.version.note, result.version.blob.kind) == (
        2,
        "补充附件",
        "docx",
    )
    assert document.current_version == result.version
    assert list(document.versions.order_by("number")) == [first, result.version]


def test_the_current_file_again_is_not_a_new_version(org):
    data = pdf_bytes()
    document = make_document(org.users["staff_a"], org.section_a, data)
    with pytest.raises(BusinessRuleError) as refused:
        services.upload(org.users["staff_a"], upload_file(data), document=document)
    assert refused.value.field == "file"
    assert document.versions.count() == 1


def test_an_earlier_file_may_come_back_as_a_new_version_without_storing_it_again(org, settings):
    v1 = pdf_bytes()
    document = make_document(org.users["staff_a"], org.section_a, v1)
    services.upload(org.users["staff_a"], upload_file(pdf_bytes()), document=document)
    back = services.upload(org.users["staff_a"], upload_file(v1), document=document)
    assert back.version.number == 3
    assert back.version.blob == document.versions.get(number=1).blob
    assert Blob.objects.count() == 2 and len(stored_files(settings)) == 2


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(org, settings):
    with pytest.raises(BusinessRuleError) as refused:
        services.upload(
            org.users["staff_a"], upload_file(exe_bytes(), "报告.pdf"), "伪装", org.section_a
        )
    assert refused.value.field == "file"
    assert "PDF" in refused.value.message and "OFD" in refused.value.message
    assert (Blob.objects.count(), Document.objects.count()) == (0, 0)
    assert stored_files(settings) == []


def test_files_above_the_size_limit_are_refused(org, monkeypatch, settings):
    monkeypatch.setattr(services, "MAX_BYTES", 100)
    at_limit = pdf_bytes().ljust(100, b" ")
    accepted = services.upload(org.users["staff_a"], upload_file(at_limit), "刚好", org.section_a)
    assert accepted.version.blob.size == 100
    with pytest.raises(BusinessRuleError) as refused:
        services.upload(org.users["staff_a"], upload_file(at_limit + b" "), "超出", org.section_a)
    assert refused.value.field == "file"
    assert Document.objects.count() == 1 and len(stored_files(settings)) == 1


def test_an_empty_file_is_refused(org):
    with pytest.raises(BusinessRuleError) as refused:
        services.upload(org.users["staff_a"], upload_file(b""), "空", org.section_a)
    assert refused.value.field == "file"


def test_staff_file_only_under_their_own_section(org):
    with pytest.raises(BusinessRuleError) as refused:
        services.upload(org.users["staff_c"], upload_file(), "越权", org.section_a)
    assert refused.value.field == "section"
    with pytest.raises(BusinessRuleError) as missing:
        services.upload(org.users["staff_c"], upload_file(), "无股室", None)
    assert missing.value.field == "section"
    assert Document.objects.count() == 0


def test_the_leader_files_under_the_sections_they_lead(org):
    led = services.upload(org.users["leader"], upload_file(), "分管股室材料", org.section_b)
    assert led.document.section == org.section_b
    with pytest.raises(BusinessRuleError):
        services.upload(org.users["leader"], upload_file(), "非分管", org.section_c)


def test_the_director_and_the_office_may_file_unit_wide(org):
    result = services.upload(org.users["director"], upload_file(), "全局材料", None)
    assert (result.document.unit, result.document.section) == (org.bureau, None)
    office = services.upload(org.users["office"], upload_file(), "股室C材料", org.section_c)
    assert office.document.section == org.section_c


def test_the_sections_of_another_unit_are_never_writable(org):
    assert org.section_d not in services.writable_sections(org.users["director"])
    assert list(services.writable_sections(org.users["sysadmin"])) == []
    assert list(services.writable_sections(org.users["staff_a"])) == [org.section_a]


def test_only_those_who_may_edit_add_versions_and_never_to_an_archived_document(org):
    document = make_document(org.users["staff_a"], org.section_a)
    with pytest.raises(BusinessRuleError):
        services.upload(org.users["staff_c"], upload_file(), document=document)
    core_services.archive(document, org.users["staff_a"], "作废")
    with pytest.raises(BusinessRuleError):
        services.upload(org.users["staff_a"], upload_file(), document=document)
    assert document.versions.count() == 1


def test_the_file_name_is_kept_without_folders_and_titles_default_to_it(org):
    result = services.upload(
        org.users["staff_a"],
        upload_file(name="C:\\fakepath\\整改报告（终稿）.pdf"),
        "",
        org.section_a,
    )
    assert result.version.original_name == "整改报告（终稿）.pdf"
    assert result.document.title == "整改报告（终稿）"
    long_name = "长" * 300 + ".pdf"
    assert services.clean_name(long_name).endswith(".pdf")
    assert len(services.clean_name(long_name)) == 255


def test_an_upload_is_in_the_change_log(org):
    from duban.audit.context import change_context

    with change_context("web", user=org.users["staff_a"]):
        result = services.upload(org.users["staff_a"], upload_file(), "留痕", org.section_a)
    logged = set(
        ObjectChange.objects.filter(user=org.users["staff_a"]).values_list(
            "content_type__model", "object_id"
        )
    )
    assert ("document", str(result.document.pk)) in logged
    assert ("version", str(result.version.pk)) in logged
    assert ("blob", str(result.version.blob.pk)) in logged


def test_stored_files_and_versions_are_never_deleted(org):
    document = make_document(org.users["staff_a"], org.section_a)
    for row in (document, document.current_version, document.current_version.blob):
        with pytest.raises(TypeError):
            row.delete()
