"""The public website: published items of an organisation, no login."""

from __future__ import annotations

from django.http import Http404


def item_list(request, org_code):
    raise Http404


def item_feed(request, org_code):
    raise Http404


def item_detail(request, org_code, news_code):
    raise Http404


def item_print(request, org_code, news_code):
    raise Http404
