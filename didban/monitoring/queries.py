"""Reads of monitoring data, scoped to the organisations the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from didban.core.access import has_any, org_from_param, scope_q
from didban.lib.jalali import day_start, parse_day
from didban.monitoring.models import (
    Alert,
    AlertRule,
    Article,
    Outlet,
    Pickup,
    Source,
    Story,
    Topic,
    TopicHit,
)


def _guard(user, permission: str) -> None:
    if not has_any(user, permission):
        raise PermissionDenied


def list_outlets(user) -> QuerySet:
    _guard(user, "monitoring.view")
    return Outlet.objects.filter(scope_q(user, "monitoring.view")).select_related("place", "org")


# "Sources with problems": active and failing, or silent for too long (the stored flag).
PROBLEMS = Q(is_active=True) & (Q(consecutive_failures__gt=0) | Q(is_silent=True))


def list_sources(user) -> QuerySet:
    _guard(user, "monitoring.view")
    return Source.objects.filter(scope_q(user, "monitoring.view")).select_related(
        "outlet", "place", "org"
    )


def access_source(user, source_id: int) -> Source:
    return get_object_or_404(list_sources(user), pk=source_id)


def list_articles(user) -> QuerySet:
    _guard(user, "monitoring.view")
    return Article.objects.filter(scope_q(user, "monitoring.view")).select_related(
        "outlet", "source", "story"
    )


def access_article(user, article_id: int) -> Article:
    return get_object_or_404(list_articles(user), pk=article_id)


def list_stories(user) -> QuerySet:
    _guard(user, "monitoring.view")
    return Story.objects.filter(scope_q(user, "monitoring.view")).select_related("first_outlet")


def access_story(user, story_id: int) -> Story:
    return get_object_or_404(list_stories(user), pk=story_id)


def list_topics(user) -> QuerySet:
    _guard(user, "monitoring.view")
    return Topic.objects.filter(scope_q(user, "monitoring.view")).select_related("org")


def access_topic(user, topic_id: int) -> Topic:
    return get_object_or_404(list_topics(user), pk=topic_id)


def list_hits(user, *, permission: str = "monitoring.view") -> QuerySet:
    _guard(user, permission)
    return TopicHit.objects.filter(scope_q(user, permission)).select_related(
        "topic", "article", "article__outlet", "reviewer"
    )


def access_hit(user, hit_id: int, *, permission: str = "monitoring.filter") -> TopicHit:
    return get_object_or_404(list_hits(user, permission=permission), pk=hit_id)


def list_pickups(user) -> QuerySet:
    _guard(user, "monitoring.view")
    return Pickup.objects.filter(scope_q(user, "monitoring.view")).select_related(
        "article", "article__outlet"
    )


def pickups_of_item(user, item) -> QuerySet:
    """Pickups of one newsroom item, for its page: empty when the user may not see them."""
    if not has_any(user, "monitoring.view"):
        return Pickup.objects.none()
    return list_pickups(user).filter(item_id=item.pk).order_by("delay_seconds")


def list_alert_rules(user) -> QuerySet:
    _guard(user, "monitoring.view")
    return AlertRule.objects.filter(scope_q(user, "monitoring.view")).select_related("topic")


def access_alert_rule(user, rule_id: int) -> AlertRule:
    return get_object_or_404(list_alert_rules(user), pk=rule_id)


def my_alerts(user) -> QuerySet:
    """A person's own in-app notifications."""
    return Alert.objects.filter(recipient=user, channel=Alert.Channel.APP).order_by("-created_at")


def access_my_alert(user, alert_id: int) -> Alert:
    """One of the person's own in-app notifications; anyone else's is a 404."""
    return get_object_or_404(my_alerts(user), pk=alert_id)


@dataclass
class Narrowing:
    """The command room's filters on a list its figures link to: an organisation's subtree
    (within the reader's scope) and the Tehran days the rows were found on."""

    org: object | None
    since: date | None
    until: date | None

    def apply(self, rows: QuerySet) -> QuerySet:
        if self.org is not None:
            rows = rows.filter(org__path__startswith=self.org.path)
        if self.since:
            rows = rows.filter(created_at__gte=day_start(self.since))
        if self.until:
            rows = rows.filter(created_at__lt=day_start(self.until + timedelta(days=1)))
        return rows


def narrowing(user, params, *, permission: str) -> Narrowing:
    """``org``, ``since`` and ``until`` of a request's query; malformed or foreign values
    are ignored."""
    return Narrowing(
        org_from_param(user, permission, params.get("org")),
        parse_day(params.get("since")),
        parse_day(params.get("until")),
    )
