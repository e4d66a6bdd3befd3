"""What kind of file is this? Decided by its content (magic bytes), never by its name.

The evidence store (印证资料) accepts PDF, OFD, Word, Excel and images. A file renamed from `.exe` to
`.pdf` is refused because its first bytes say what it is. Container formats are looked into:

- a ZIP is an OFD when it holds `OFD.xml` at its root (GB/T 33190), a Word document when it holds
  `word/document.xml`, an Excel workbook when it holds `xl/workbook.xml`; macro-enabled Office files
  (with a `vbaProject.bin`) and any other ZIP are refused;
- an OLE2 compound file (the Office 97-2003 container) is a Word document when it holds a
  `WordDocument` stream and an Excel workbook when it holds `Workbook` (or Excel 5's `Book`); other
  OLE2 files (PowerPoint, Outlook messages, Windows installers) are refused.

Free of Django: `sniff` takes the first bytes and, for containers, a callable that lists the members,
so it is tested with tiny synthetic files. `sniff_file` does the reading for a seekable binary file.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

__all__ = [
    "HEAD_BYTES",
    "KINDS",
    "FileKind",
    "ole_stream_names",
    "sniff",
    "sniff_file",
]

# Enough for every signature below; containers are read through their own directories.
HEAD_BYTES = 512


@dataclass(frozen=True)
class FileKind:
    code: str  # stored on the row, e.g. "pdf"
    label: str  # a language-neutral name; the web layer translates it
    mime: str  # the Content-Type a download is served with
    extension: str  # the usual extension, without the dot


PDF = FileKind("pdf", "PDF", "application/pdf", "pdf")
OFD = FileKind("ofd", "OFD", "application/ofd", "ofd")
DOCX = FileKind(
    "docx",
    "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
XLSX = FileKind(
    "xlsx", "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
)
DOC = FileKind("doc", "Word 97-2003", "application/msword", "doc")
XLS = FileKind("xls", "Excel 97-2003", "application/vnd.ms-excel", "xls")
JPEG = FileKind("jpeg", "JPEG", "image/jpeg", "jpg")
PNG = FileKind("png", "PNG", "image/png", "png")
GIF = FileKind("gif", "GIF", "image/gif", "gif")
WEBP = FileKind("webp", "WebP", "image/webp", "webp")
BMP = FileKind("bmp", "BMP", "image/bmp", "bmp")
TIFF = FileKind("tiff", "TIFF", "image/tiff", "tif")

KINDS: dict[str, FileKind] = {
    k.code: k for k in (PDF, OFD, DOCX, XLSX, DOC, XLS, JPEG, PNG, GIF, WEBP, BMP, TIFF)
}

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Sizes a BMP's DIB header may have (BITMAPCOREHEADER … BITMAPV5HEADER): "BM" alone is too weak.
_BMP_DIB_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})


def sniff(
    head: bytes,
    zip_names: Callable[[], list[str]] | None = None,
    ole_names: Callable[[], list[str]] | None = None,
) -> FileKind | None:
    """The kind of a file from its first bytes (at least `HEAD_BYTES` of them when it is that long).

    `zip_names` / `ole_names` list the members of a ZIP / OLE2 container; they are called only when
    the head says the file is one. Without them a container is not recognised. None means refused.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head[:2] == b"BM" and len(head) >= 18:
        (dib_size,) = struct.unpack_from("<I", head, 14)
        return BMP if dib_size in _BMP_DIB_SIZES else None
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(zip_names() if zip_names else [])
    if head.startswith(OLE_MAGIC):
        return _ole_kind(ole_names() if ole_names else [])
    return None


def _zip_kind(names: list[str]) -> FileKind | None:
    members = set(names)
    if "OFD.xml" in members:
        return OFD
    if any(name.endswith("vbaProject.bin") for name in members):
        return None  # .docm/.xlsm: macros are not evidence
    if "word/document.xml" in members:
        return DOCX
    if "xl/workbook.xml" in members:
        return XLSX
    return None


def _ole_kind(names: list[str]) -> FileKind | None:
    members = set(names)
    if "WordDocument" in members:
        return DOC
    if "Workbook" in members or "Book" in members:
        return XLS
    return None


# --- reading containers ------------------------------------------------------------------------


def sniff_file(file: BinaryIO) -> FileKind | None:
    """`sniff` for a seekable binary file; the position is back at 0 afterwards."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    try:
        return sniff(
            head,
            zip_names=lambda: _zip_names(file),
            ole_names=lambda: ole_stream_names(_reader(file)),
        )
    finally:
        file.seek(0)


def _zip_names(file: BinaryIO) -> list[str]:
    """Member names from the central directory; nothing is decompressed."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []


def _reader(file: BinaryIO) -> Callable[[int, int], bytes]:
    def read_at(offset: int, size: int) -> bytes:
        file.seek(offset)
        return file.read(size)

    return read_at


_FREE_SECTORS = 0xFFFFFFFA  # ids from here up are markers (end of chain, free, FAT, DIFAT)
_MAX_SECTORS = 1 << 20  # a chain longer than this is corrupt or hostile; stop reading


def ole_stream_names(read_at: Callable[[int, int], bytes]) -> list[str]:
    """Names of the streams and storages in an OLE2 compound file ([MS-CFB]); [] if it is not one.

    Follows the directory chain through the FAT, reading only the sectors it needs, and gives up on
    anything malformed (loops, out-of-range sectors) instead of raising.
    """
    header = read_at(0, 512)
    if len(header) < 512 or not header.startswith(OLE_MAGIC):
        return []
    sector_shift = struct.unpack_from("<H", header, 0x1E)[0]
    if sector_shift not in (9, 12):
        return []
    sector_size = 1 << sector_shift
    per_sector = sector_size // 4
    (first_dir,) = struct.unpack_from("<I", header, 0x30)
    first_difat, difat_count = struct.unpack_from("<II", header, 0x44)
    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < _FREE_SECTORS]

    def sector(sid: int) -> bytes:
        data = read_at((sid + 1) * sector_size, sector_size)
        if len(data) != sector_size:
            raise _Malformed
        return data

    try:
        sid, seen = first_difat, 0
        while sid < _FREE_SECTORS and seen < min(difat_count, _MAX_SECTORS):
            entries = struct.unpack(f"<{per_sector}I", sector(sid))
            fat_sectors.extend(s for s in entries[:-1] if s < _FREE_SECTORS)
            sid, seen = entries[-1], seen + 1

        def next_sector(sid: int) -> int:
            index, slot = divmod(sid, per_sector)
            if index >= len(fat_sectors):
                raise _Malformed
            data = read_at((fat_sectors[index] + 1) * sector_size + slot * 4, 4)
            if len(data) != 4:
                raise _Malformed
            return struct.unpack("<I", data)[0]

        names, visited, sid = [], set(), first_dir
        while sid < _FREE_SECTORS:
            if sid in visited or len(visited) >= _MAX_SECTORS:
                raise _Malformed
            visited.add(sid)
            data = sector(sid)
            for offset in range(0, sector_size, 128):
                entry = data[offset : offset + 128]
                name_length, entry_type = struct.unpack_from("<HB", entry, 64)
                if entry_type in (1, 2) and 2 <= name_length <= 64:  # storage or stream
                    names.append(entry[: name_length - 2].decode("utf-16-le", errors="replace"))
            sid = next_sector(sid)
        return names
    except (_Malformed, struct.error):
        return []


class _Malformed(Exception):
    pass
