from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    """The kinds `duban.lib.filetypes` recognises, with the names people read (a test keeps them equal)."""

    PDF = "pdf", _("PDF document")
    OFD = "ofd", _("OFD document")
    DOCX = "docx", _("Word document")
    XLSX = "xlsx", _("Excel workbook")
    DOC = "doc", _("Word 97-2003 document")
    XLS = "xls", _("Excel 97-2003 workbook")
    JPEG = "jpeg", _("JPEG image")
    PNG = "png", _("PNG image")
    GIF = "gif", _("GIF image")
    WEBP = "webp", _("WebP image")
    BMP = "bmp", _("BMP image")
    TIFF = "tiff", _("TIFF image")
