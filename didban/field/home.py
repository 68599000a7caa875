"""The home panel of display campaigns: the current window's coverage; the agent's open tasks."""

from __future__ import annotations

from didban.core.access import has_any
from didban.field import queries


def panels(request) -> list[dict]:
    user = request.user
    if not has_any(user, "field.view"):
        return []
    context: dict = {}
    today = queries.local_today()
    window = (
        queries.list_windows(user).filter(starts_on__lte=today).order_by("-starts_on").first()
        or queries.list_windows(user).order_by("starts_on").first()
    )
    if window is not None:
        context["window"] = window
        context["coverage"] = queries.coverage(user, window, today=today)
    if has_any(user, "field.checkin"):
        tasks = queries.list_open_tasks(user)
        context["open_tasks"] = tasks.count()
        context["overdue_tasks"] = queries.overdue_tasks(tasks, today).count()
        context["next_tasks"] = list(tasks[:5])
        context["today"] = today
    if not context:
        return []
    return [{"template": "field/home_panel.html", "context": context}]
