"""What the field app's violation form needs, rendered into the app shell the service worker
keeps, so the elections, candidates, categories and places are on the device offline."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.urls import reverse
from django.utils.translation import get_language

from didban.compliance.models import RuleCategory
from didban.compliance.queries import list_elections
from didban.compliance.uploads import max_photos
from didban.places.models import Place

register = template.Library()

# The settlements of a constituency a report may name, nearest kinds first.
PLACE_KINDS = [
    Place.Kind.CITY,
    Place.Kind.SATELLITE_TOWN,
    Place.Kind.DISTRICT,
    Place.Kind.VILLAGE,
]
MAX_PLACES = 1500


@dataclass
class FieldFormData:
    url: str
    elections: list = field(default_factory=list)
    default_election: object = None
    candidates: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    place_groups: list = field(default_factory=list)
    max_photos: int = 5


def _area(org):
    """The place an organisation covers: its own, else the nearest ancestor's."""
    node = org
    while node is not None:
        if node.place_id:
            return node.place
        node = node.parent
    return None


def _place_groups(elections) -> list[tuple[str, list]]:
    roots = {a.pk: a for a in (_area(e.org) for e in elections) if a is not None}
    if not roots:
        return []
    from django.db.models import Q

    within = Q()
    for root in roots.values():
        within |= Q(path__startswith=root.path)
    places = list(
        Place.objects.filter(within, kind__in=PLACE_KINDS)
        .select_related("parent")
        .order_by("name_norm")[:MAX_PLACES]
    )
    labels = dict(Place.Kind.choices)
    groups = []
    for kind in PLACE_KINDS:
        members = [p for p in places if p.kind == kind]
        if members:
            groups.append((labels[kind], members))
    return groups


@register.simple_tag(takes_context=True)
def violation_form_data(context) -> FieldFormData:
    """Elections the user may report under (latest first), their candidates and the places."""
    user = context["request"].user
    elections = list(
        list_elections(user, permission="compliance.report")
        .select_related("org__place", "org__parent__place")
        .order_by("-election_day", "-pk")[:20]
    )
    data = FieldFormData(
        url=reverse("api:compliance_violations"),
        elections=elections,
        default_election=elections[0] if elections else None,
        categories=list(RuleCategory.choices),
        max_photos=max_photos(),
    )
    if not elections:
        return data
    from didban.compliance.models import Candidate

    data.candidates = list(
        Candidate.objects.filter(election__in=elections)
        .select_related("candidate_list")
        .order_by("election_id", "candidate_list__name", "name")
    )
    data.place_groups = _place_groups(elections)
    return data


@register.filter
def place_option(place) -> str:
    """«ماهدشت» or «گلستانک (مرکزی)»: a village with its district, so equal names differ."""
    english = (get_language() or "fa").startswith("en")
    name = place.display_name("en" if english else "fa")
    if place.kind in (Place.Kind.VILLAGE, Place.Kind.DISTRICT) and place.parent_id:
        parent = place.parent.display_name("en" if english else "fa")
        return f"{name} ({parent})"
    return name
