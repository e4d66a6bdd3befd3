"""File kinds are told by content: tiny synthetic files of every accepted kind, and what is refused."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.lib import filetypes
from duban.lib.filetypes import KINDS, ole_stream_names, sniff, sniff_file

FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def dir_entry(name: str, kind: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    entry = encoded.ljust(64, b"\0") + struct.pack("<HB", len(encoded), kind)
    return entry.ljust(128, b"\0")


def ole_bytes(*names: str, shift: int = 9, loop: bool = False) -> bytes:
    """A minimal compound file: header, one FAT sector, a directory chain of as many sectors as needed."""
    size = 1 << shift
    per_sector = size // 128
    entries = [dir_entry("Root Entry", 5)] + [dir_entry(n, 2) for n in names]
    entries += [b"\0" * 128] * (-len(entries) % per_sector)
    dir_sectors = [
        b"".join(entries[i : i + per_sector]) for i in range(0, len(entries), per_sector)
    ]
    # sector 0: the FAT; sectors 1..n: the directory, chained 1 → 2 → … → end (or back to 1)
    fat = [FATSECT] + [i + 2 for i in range(len(dir_sectors) - 1)] + [1 if loop else END]
    fat += [FREE] * (size // 4 - len(fat))
    header = bytearray(512)
    header[0:8] = filetypes.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3 if shift == 9 else 4, 0xFFFE, shift, 6)
    struct.pack_into("<III", header, 0x2C, 1, 1, 0)  # one FAT sector; directory starts at 1
    struct.pack_into("<IIIII", header, 0x38, 4096, END, 0, END, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([FREE] * 108))
    return (
        bytes(header).ljust(size, b"\0")
        + struct.pack(f"<{size // 4}I", *fat)
        + b"".join(dir_sectors)
    )


def kind_of(data: bytes) -> str | None:
    found = sniff_file(io.BytesIO(data))
    return found.code if found else None


@pytest.mark.parametrize(
    "data, code",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"GIF89a\x01\x00\x01\x00", "gif"),
        (b"GIF87a\x01\x00\x01\x00", "gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (b"BM" + struct.pack("<IHHII", 70, 0, 0, 54, 40) + b"\0" * 40, "bmp"),
    ],
)
def test_signatures_at_the_start_name_the_kind(data, code):
    assert kind_of(data) == code


@pytest.mark.parametrize(
    "names, code",
    [
        (("OFD.xml", "Doc_0/Document.xml"), "ofd"),
        (("[Content_Types].xml", "word/document.xml"), "docx"),
        (("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), "xlsx"),
    ],
)
def test_zip_containers_are_told_by_their_members(names, code):
    assert kind_of(zip_bytes(*names)) == code


@pytest.mark.parametrize(
    "names, code",
    [(("WordDocument", "1Table"), "doc"), (("Workbook",), "xls"), (("Book",), "xls")],
)
def test_office_97_files_are_told_by_their_streams(names, code):
    assert kind_of(ole_bytes(*names)) == code


def test_a_directory_spanning_several_sectors_is_followed():
    names = [f"Stream{i}" for i in range(9)] + ["WordDocument"]  # the Word stream in sector 3
    data = ole_bytes(*names)
    assert ole_stream_names(lambda offset, size: data[offset : offset + size]) == names
    assert kind_of(data) == "doc"


def test_4096_byte_sectors_are_read():
    assert kind_of(ole_bytes("Workbook", shift=12)) == "xls"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 100, id="exe renamed .pdf"),
        pytest.param(b"\x7fELF\x02\x01\x01", id="elf"),
        pytest.param(b"<html><body>%PDF-1.4</body></html>", id="html mentioning pdf"),
        pytest.param("纯文本".encode(), id="text"),
        pytest.param(b"", id="empty"),
        pytest.param(b"BM" + b"\xff" * 40, id="BM without a bitmap header"),
        pytest.param(b"PK\x03\x04" + b"\0" * 60, id="broken zip"),
        pytest.param(zip_bytes("readme.txt"), id="plain zip"),
        pytest.param(zip_bytes("word/document.xml", "word/vbaProject.bin"), id="docm"),
        pytest.param(zip_bytes("xl/workbook.xml", "xl/vbaProject.bin"), id="xlsm"),
        pytest.param(ole_bytes("PowerPoint Document"), id="ppt"),
        pytest.param(ole_bytes("WordDocument", loop=True), id="ole directory loop"),
        pytest.param(ole_bytes("WordDocument")[:700], id="truncated ole"),
        pytest.param(filetypes.OLE_MAGIC + b"\0" * 20, id="ole header only"),
    ],
)
def test_anything_else_is_refused(data):
    assert kind_of(data) is None


def test_containers_need_their_member_list():
    assert sniff(zip_bytes("word/document.xml")[:512], zip_names=None) is None
    assert sniff(b"PK\x03\x04rest", zip_names=lambda: ["word/document.xml"]).code == "docx"
    assert sniff(filetypes.OLE_MAGIC, ole_names=lambda: ["Workbook"]).code == "xls"


def test_member_lists_are_read_only_for_containers():
    def never():
        raise AssertionError("listed members of a file that is not a container")

    assert sniff(b"%PDF-1.4", zip_names=never, ole_names=never).code == "pdf"


def test_sniff_file_leaves_the_file_at_its_start():
    file = io.BytesIO(zip_bytes("xl/workbook.xml"))
    file.seek(10)
    assert sniff_file(file).code == "xlsx"
    assert file.tell() == 0


def test_every_kind_has_a_code_a_label_and_a_mime_type():
    assert len({k.code for k in KINDS.values()}) == len(KINDS) == 12
    for code, kind in KINDS.items():
        assert kind.code == code and kind.label and "/" in kind.mime and kind.extension
    assert KINDS["pdf"].mime == "application/pdf"
    assert KINDS["ofd"].mime == "application/ofd"


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from([b"", b"PK\x03\x04", filetypes.OLE_MAGIC, b"BM", b"RIFF"]),
    body=st.binary(max_size=2048),
)
def test_any_bytes_are_answered_without_an_error(prefix, body):
    found = sniff_file(io.BytesIO(prefix + body))
    assert found is None or found.code in KINDS


@settings(max_examples=100, deadline=None)
@given(garbage=st.binary(min_size=4, max_size=600), at=st.integers(min_value=0, max_value=1535))
def test_a_corrupted_compound_file_is_answered_without_an_error(garbage, at):
    data = bytearray(ole_bytes("WordDocument"))
    data[at : at + len(garbage)] = garbage
    found = sniff_file(io.BytesIO(bytes(data)))
    assert found is None or found.code in KINDS
