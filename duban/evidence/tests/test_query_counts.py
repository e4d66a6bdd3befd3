"""Queries per list do not grow with the library: 10 documents and 1,000 cost the same."""

from __future__ import annotations

import pytest

from duban.core.testing import count_queries
from duban.evidence.models import Blob, Document, Version


def grow_documents(org, n: int) -> None:
    """Documents with a current version each, written directly (no files are needed to list them)."""
    start = Blob.objects.count()
    staff = org.users["staff_a"]
    sections = [org.section_a, org.section_b, org.section_c]
    blobs = Blob.objects.bulk_create(
        Blob(
            sha256=f"{start + i:064x}",
            file=f"evidence/00/{start + i:064x}",
            size=1000 + i,
            kind="pdf",
            mime="application/pdf",
        )
        for i in range(n)
    )
    documents = Document.objects.bulk_create(
        Document(
            title=f"资料{start + i}", unit=org.bureau, section=sections[i % 3], created_by=staff
        )
        for i in range(n)
    )
    versions = Version.objects.bulk_create(
        Version(document=d, number=1, blob=b, original_name=f"资料{d.pk}.pdf", uploaded_by=staff)
        for d, b in zip(documents, blobs, strict=True)
    )
    for document, version in zip(documents, versions, strict=True):
        document.current_version = version
    Document.objects.bulk_update(documents, ["current_version"])


@pytest.mark.parametrize(
    "url",
    [
        "/evidence/",
        "/evidence/?export=xlsx",
        "/evidence/?kind=pdf&q=资料",
        "/api/v1/evidence/documents/",
    ],
)
def test_query_count_is_the_same_for_10_and_1000_documents(org, client_for, url):
    client = client_for("director")
    grow_documents(org, 10)
    client.get(url)  # warm caches (content types)
    small = count_queries(lambda: client.get(url))
    grow_documents(org, 990)
    large = count_queries(lambda: client.get(url))
    assert small == large, f"{url}: {small} queries at 10 documents, {large} at 1,000"


def test_the_versions_endpoint_does_not_grow_with_versions(org, client_for):
    grow_documents(org, 1)
    document = Document.objects.get()
    staff = org.users["staff_a"]
    url = f"/api/v1/evidence/documents/{document.pk}/versions/"
    client = client_for("staff_a")
    client.get(url)

    def add_versions(n):
        last = document.versions.count()
        blob = document.current_version.blob
        Version.objects.bulk_create(
            Version(document=document, number=last + i + 1, blob=blob, uploaded_by=staff)
            for i in range(n)
        )

    add_versions(5)
    small = count_queries(lambda: client.get(url))
    add_versions(200)
    assert count_queries(lambda: client.get(url)) == small


def test_the_detail_page_does_not_grow_with_versions(org, client_for):
    grow_documents(org, 1)
    document = Document.objects.get()
    client = client_for("staff_a")
    blob = document.current_version.blob
    staff = org.users["staff_a"]
    client.get(document.get_absolute_url())
    small = count_queries(lambda: client.get(document.get_absolute_url()))
    Version.objects.bulk_create(
        Version(document=document, number=n, blob=blob, uploaded_by=staff) for n in range(2, 102)
    )
    assert count_queries(lambda: client.get(document.get_absolute_url())) == small
