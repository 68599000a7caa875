"""Errors as JSON with translated messages: `{"error": {"code", "message", "fields"}}`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_handler


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(fields)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("You do not have permission to do this."))
    response = drf_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        body = {
            "error": {
                "code": "invalid",
                "message": _("The data sent is not valid."),
                "fields": response.data,
            }
        }
    else:
        detail = (
            response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        )
        body = {"error": {"code": code, "message": str(detail)}}
    response.data = body
    return response


def not_found_json(request, exception=None):
    from django.http import JsonResponse

    return JsonResponse(
        {"error": {"code": "not_found", "message": _("Not found.")}},
        status=status.HTTP_404_NOT_FOUND,
    )
