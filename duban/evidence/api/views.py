from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from duban.core.api.viewsets import ScopedViewSetMixin
from duban.evidence import services
from duban.evidence.api.serializers import (
    DocumentSerializer,
    DocumentUploadSerializer,
    VersionSerializer,
)
from duban.evidence.filtersets import DocumentFilterSet, active_unless_asked
from duban.evidence.models import Document, Version


class DocumentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Evidence documents the caller may see; POST uploads a file (multipart), stored once."""

    queryset = Document.objects.all()
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    ordering_fields = ["created_at", "title"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            queryset = active_unless_asked(queryset, self.request.query_params)
        return queryset

    @extend_schema(
        request=DocumentUploadSerializer,
        responses={201: DocumentSerializer, 200: DocumentSerializer},
        description="201 with the new document; 200 with `reused: true` when the unit already "
        "has this file as a document.",
    )
    def create(self, request, *args, **kwargs):
        upload = DocumentUploadSerializer(data=request.data, context={"request": request})
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        result = services.upload(
            request.user,
            data["file"],
            title=data.get("title", ""),
            section=data.get("section"),
            description=data.get("description", ""),
        )
        body = {**DocumentSerializer(result.document).data, "reused": result.reused}
        return Response(
            body, status=status.HTTP_200_OK if result.reused else status.HTTP_201_CREATED
        )

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        document = self.get_object()
        rows = Version.objects.filter(document=document).for_list().order_by("-number")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(VersionSerializer(page, many=True).data)
