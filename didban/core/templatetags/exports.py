"""`{% export_button "field.sites" %}`: the export menu of a list (see didban/core/exports.py)."""

from __future__ import annotations

from django import template

from didban.core.exports import get_source

register = template.Library()


@register.inclusion_tag("core/export_button.html", takes_context=True)
def export_button(context, source: str, window_id: int | None = None) -> dict:
    found = get_source(source)
    return {
        "source": source,
        "window_id": window_id,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "choices_filters": found.button_filters() if found and found.button_filters else [],
    }
