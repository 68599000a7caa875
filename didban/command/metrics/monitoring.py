"""Media feedback: monitored articles matching topics, and pickups of our own content.

The monitoring app is built in parallel; this provider reads whichever of its models exist
(`Hit`/`TopicHit`/`Match` for topic hits, `Pickup` for pickups) and hides itself otherwise.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from didban.command.metrics.base import Provider, has_fields, list_url, local_days, model_or_none

HIT_MODELS = ("monitoring.TopicHit", "monitoring.Hit", "monitoring.Match", "monitoring.TopicMatch")
TIME_FIELDS = ("matched_at", "created_at", "detected_at", "found_at")


def _model_with_time(labels):
    for label in labels:
        model = model_or_none(label)
        if model is None or not has_fields(model, "org"):
            continue
        for name in TIME_FIELDS:
            if has_fields(model, name):
                return model, name
    return None, None


def _hits():
    return _model_with_time(HIT_MODELS)


def _pickups():
    return _model_with_time(("monitoring.Pickup",))


def available() -> bool:
    return _hits()[0] is not None or _pickups()[0] is not None


def events(start, end):
    for (model, when), metric in ((_hits(), "monitoring.hits"), (_pickups(), "monitoring.pickups")):
        if model is None:
            continue
        rows = model.objects.filter(**{f"{when}__gte": start, f"{when}__lt": end}).values_list(
            "org_id", when
        )
        for org_id, at in rows.iterator(chunk_size=5000):
            yield org_id, at, metric


def touched(since):
    for model, when in (_hits(), _pickups()):
        if model is None:
            continue
        stamp = "updated_at" if has_fields(model, "updated_at") else when
        yield from model.objects.filter(**{f"{stamp}__gte": since}).values_list(when, flat=True)


def labels():
    return {"monitoring.hits": _("Topic hits"), "monitoring.pickups": _("Pickups of our content")}


def link(metric, org, start=None, end=None):
    org_id = org.pk if org else None
    if metric.endswith("hits"):
        # The filtering queue, every state, by the Tehran days the hits were found on.
        return list_url("monitoring:queue", state="all", org=org_id, **local_days(start, end))
    return list_url("monitoring:pickup_list", org=org_id, **local_days(start, end))


def link_permission(metric):
    return "monitoring.filter" if metric.endswith("hits") else "monitoring.view"


PROVIDER = Provider(
    name="monitoring",
    available=available,
    events=events,
    touched=touched,
    labels=labels,
    link=link,
    link_permission=link_permission,
    prefixes=("monitoring.",),
)
