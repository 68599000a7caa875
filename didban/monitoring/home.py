"""The monitoring panel on the home page: hits waiting to be filtered, problems with sources."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from didban.core.access import has_any
from didban.monitoring import queries
from didban.monitoring.models import TopicHit


def panels(request) -> list[dict]:
    user = request.user
    if not has_any(user, "monitoring.view"):
        return []
    day_ago = timezone.now() - timedelta(days=1)
    can_filter = has_any(user, "monitoring.filter")
    problems = queries.list_sources(user).filter(queries.PROBLEMS)
    context = {
        "can_filter": can_filter,
        "new_hits": queries.list_hits(user).filter(state=TopicHit.State.NEW).count()
        if can_filter
        else 0,
        "pickups_day": queries.list_pickups(user).filter(created_at__gte=day_ago).count(),
        "unhealthy": problems.count(),
        "silent": problems.filter(is_silent=True).count(),
    }
    return [{"template": "monitoring/home_panel.html", "context": context}]
