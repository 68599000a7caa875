from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from didban.places.models import Place
from didban.places.queries import access_place, list_places, search_places


@login_required
def place_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    if kind not in Place.Kind.values:
        kind = ""
    places = list_places(request.user, search=search, kind=kind)
    if not search and not kind:
        places = places.filter(kind=Place.Kind.PROVINCE)
    page = Paginator(places.order_by("path"), 100).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "kind": kind, "kinds": Place.Kind.choices}
    template = "places/place_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


@login_required
def place_detail(request: HttpRequest, place_id: int) -> HttpResponse:
    place = access_place(request.user, place_id)
    children = list_places(request.user).filter(parent=place).order_by("kind", "name_fa")
    ancestors = []
    node = place.parent
    while node is not None:
        ancestors.insert(0, node)
        node = node.parent
    return render(
        request,
        "places/place_detail.html",
        {"place": place, "children": children, "ancestors": ancestors},
    )


@login_required
def place_pick(request: HttpRequest) -> HttpResponse:
    """The picker's suggestions: an htmx partial listing places whose name matches."""
    text = request.GET.get("q", "")[:100]
    kind = request.GET.get("kind", "")
    results = search_places(request.user, text, kind=kind if kind in Place.Kind.values else "")
    return render(
        request,
        "places/picker_results.html",
        {"results": results, "field": request.GET.get("field", "place")[:50], "query": text},
    )
