"""The newsroom's home panel: my assignments, what awaits my review, counts by kind."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from didban.core.access import has_any, scope_q
from didban.lib.jalali import jalali_week_start
from didban.newsroom.models import Item
from didban.newsroom.queries import day_start, kind_counts, list_items, overdue_assignments


def panels(request) -> list[dict]:
    user = request.user
    if not has_any(user, "newsroom.view"):
        return []
    today = timezone.localdate()
    mine = (
        list_items(user)
        .filter(Q(assignee=user) | Q(author=user, status=Item.Status.DRAFT))
        .exclude(status__in=[*Item.PUBLIC_STATUSES, Item.Status.RETRACTED])
        .order_by("due_at", "-updated_at")[:8]
    )
    review = []
    if has_any(user, "newsroom.approve"):
        review = list(
            Item.objects.filter(scope_q(user, "newsroom.approve"), status=Item.Status.IN_REVIEW)
            .select_related("org", "author")
            .order_by("updated_at")[:8]
        )
    counts_today = kind_counts(user, day_start(today))
    counts_week = kind_counts(user, day_start(jalali_week_start(today)))
    kinds = [
        {"label": label, "today": counts_today.get(value, 0), "week": counts_week.get(value, 0)}
        for value, label in Item.Kind.choices
    ]
    return [
        {
            "template": "newsroom/home_panel.html",
            "context": {
                "mine": list(mine),
                "review": review,
                "kinds": kinds,
                "overdue": list(overdue_assignments(user).filter(person=user)[:5]),
                "now": timezone.now(),
                "soon": timezone.now() + timedelta(hours=24),
            },
        }
    ]
