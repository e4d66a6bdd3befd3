"""What is true of evidence rows whatever page or service wrote them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from duban.evidence.choices import FileKind
from duban.evidence.models import Blob, Version
from duban.evidence.tests.factories import make_document
from duban.lib.filetypes import KINDS


def test_every_kind_the_sniffer_names_has_a_translated_choice():
    assert set(FileKind.values) == set(KINDS)


def test_a_content_hash_is_stored_once(db):
    Blob.objects.create(sha256="a" * 64, file="evidence/aa/x", size=1, kind="pdf", mime="x")
    with pytest.raises(IntegrityError):
        Blob.objects.create(sha256="a" * 64, file="evidence/aa/y", size=1, kind="pdf", mime="x")


def test_a_version_number_is_used_once_per_document(org):
    document = make_document(org.users["staff_a"], org.section_a)
    with pytest.raises(IntegrityError):
        Version.objects.create(
            document=document,
            number=1,
            blob=document.current_version.blob,
            original_name="x.pdf",
            uploaded_by=org.users["staff_a"],
        )


def test_a_document_names_itself_and_links_to_its_page(org):
    document = make_document(org.users["staff_a"], org.section_a, title="防汛预案")
    assert str(document) == "防汛预案"
    assert document.get_absolute_url() == f"/evidence/{document.pk}/"
    assert document.current_number == 1
    assert str(document.current_version) == "防汛预案 v1"
