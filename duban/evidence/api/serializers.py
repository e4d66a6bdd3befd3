from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from duban.evidence.models import Document, Version
from duban.evidence.services import writable_sections
from duban.org.models import Section


class VersionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="blob.kind", read_only=True)
    mime = serializers.CharField(source="blob.mime", read_only=True)
    size = serializers.IntegerField(source="blob.size", read_only=True)
    sha256 = serializers.CharField(source="blob.sha256", read_only=True)
    download_url = serializers.CharField(source="get_download_url", read_only=True)

    class Meta:
        model = Version
        fields = [
            "id",
            "number",
            "original_name",
            "kind",
            "mime",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "note",
            "download_url",
        ]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    current_version = VersionSerializer(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "description",
            "unit",
            "section",
            "current_version",
            "created_by",
            "created_at",
            "archived_at",
            "archive_reason",
            "version",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    """A multipart upload: the file and how to file it. The upload service does the checking."""

    file = serializers.FileField(help_text=_("PDF, OFD, Word, Excel or an image, at most 50 MB."))
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    section = serializers.PrimaryKeyRelatedField(
        queryset=Section.objects.none(), required=False, allow_null=True
    )
    description = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["section"].queryset = writable_sections(request.user)
