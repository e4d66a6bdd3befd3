"""Plain helpers for evidence tests: tiny files of accepted kinds and documents made through the service."""

from __future__ import annotations

import io
import itertools
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from duban.evidence import services

_counter = itertools.count(1)


def pdf_bytes(text: str = "") -> bytes:
    """A distinct small PDF each call unless `text` is given (then the same bytes every time)."""
    body = text or f"document {next(_counter)}"
    return f"%PDF-1.7\n% {body}\n%%EOF\n".encode()


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + next(_counter).to_bytes(4, "big")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document n='{next(_counter)}'/>")
    return buffer.getvalue()


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50


def upload_file(data: bytes | None = None, name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if data is None else data)


def make_document(user, section=None, data: bytes | None = None, title: str = "", name="材料.pdf"):
    """A document uploaded by `user` (through the service, so it is stored and versioned for real)."""
    result = services.upload(
        user, upload_file(data, name), title=title or f"资料{next(_counter)}", section=section
    )
    return result.document
