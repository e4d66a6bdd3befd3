"""API errors: always a 4xx with a Chinese message per field, never a 500 for bad input."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from duban.core.exceptions import BusinessRuleError, StaleEditError


def exception_handler(exc, context):
    if isinstance(exc, StaleEditError):
        return Response(
            {"detail": str(exc.message), "code": "stale"}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, BusinessRuleError):
        key = exc.field or "detail"
        body = {key: [exc.message]} if exc.field else {"detail": exc.message}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = NotFound()  # Django's message names the model in English; DRF's is translated
    if isinstance(exc, ParseError):
        exc = ParseError(_("The request body is not valid JSON."))
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": _("The data conflicts with an existing record.")},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
