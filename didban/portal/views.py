"""The public website: published items of an organisation, no login (the website channel)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.cache import cache_control

from didban.lib.jalali import format_jalali
from didban.newsroom.queries import item_assets, public_item, public_items, public_org


def _public(view):
    """Public pages are in Persian unless ?lang=en, whoever is logged in."""

    def wrapper(request, *args, **kwargs):
        language = "en" if request.GET.get("lang") == "en" else "fa"
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_public
@cache_control(public=True, max_age=60)
def item_list(request: HttpRequest, org_code: str) -> HttpResponse:
    org = public_org(org_code)
    page = Paginator(public_items(org), 20).get_page(request.GET.get("page"))
    return render(request, "portal/item_list.html", {"org": org, "page": page})


def _detail(request, org_code, news_code, *, printing: bool) -> HttpResponse:
    org = public_org(org_code)
    item = public_item(org, news_code)
    images = [link for link in item_assets(item) if link.asset.kind == "image"]
    others = [link for link in item_assets(item) if link.asset.kind != "image"]
    return render(
        request,
        "portal/item_detail.html",
        {
            "org": org, "item": item, "images": images, "others": others,
            "printing": printing or request.GET.get("print") == "1",
            "page_url": item.public_url(),
        },
    )  # fmt: skip


@_public
@cache_control(public=True, max_age=60)
def item_detail(request: HttpRequest, org_code: str, news_code: str) -> HttpResponse:
    return _detail(request, org_code, news_code, printing=False)


@_public
def item_print(request: HttpRequest, org_code: str, news_code: str) -> HttpResponse:
    return _detail(request, org_code, news_code, printing=True)


def item_feed(request: HttpRequest, org_code: str) -> HttpResponse:
    """RSS 2.0 of the latest 30 public items."""
    org = public_org(org_code)
    feed = Rss201rev2Feed(
        title=org.name,
        link=settings.SITE_URL + request.path.rsplit("rss/", 1)[0],
        description=org.name,
        language="fa",
    )
    for item in public_items(org)[:30]:
        feed.add_item(
            title=item.title,
            link=item.public_url(),
            description=item.lead or item.body_text[:400],
            pubdate=item.published_at,
            unique_id=item.public_url(),
            categories=item.tags or None,
            comments=None,
            author_name=org.name,
            updateddate=item.corrected_at,
            **{"news_code": item.news_code, "jalali": format_jalali(item.published_at, "long")},
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
