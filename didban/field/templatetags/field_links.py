"""Links other apps' pages show into display campaigns (e.g. the newsroom's occasions)."""

from __future__ import annotations

from django import template

from didban.core.access import has_any

register = template.Library()


@register.simple_tag(takes_context=True)
def may_see_designs(context) -> bool:
    request = context.get("request")
    return bool(request) and has_any(request.user, "field.view")
