"""Production: newsroom items published, per kind (counted at their `published_at`)."""

from __future__ import annotations

from didban.command.metrics.base import Provider, list_url, local_days, model_or_none


def _item():
    return model_or_none("newsroom.Item")


def available() -> bool:
    return _item() is not None


def events(start, end):
    rows = (
        _item()
        .objects.filter(published_at__gte=start, published_at__lt=end)
        .values_list("org_id", "published_at", "kind")
    )
    for org_id, at, kind in rows.iterator(chunk_size=5000):
        yield org_id, at, f"production.{kind}"


def touched(since):
    # An item edited since the last run (published late, back-dated, corrected) re-rolls its hour.
    rows = (
        _item()
        .objects.filter(updated_at__gte=since, published_at__isnull=False)
        .values_list("published_at", flat=True)
    )
    return rows.iterator(chunk_size=5000)


def labels():
    return {f"production.{value}": label for value, label in _item().Kind.choices}


def link(metric, org, start=None, end=None):
    kind = metric.split(".", 1)[1] if "." in metric else ""
    return list_url(
        "newsroom:item_list",
        # Every item published in the period, corrected or retracted since included: the
        # figure counts them (the work was done and went out), so the list shows them too.
        published="1",
        kind=kind,
        org=org.pk if org else None,
        **local_days(start, end),
    )


PROVIDER = Provider(
    name="newsroom",
    available=available,
    events=events,
    touched=touched,
    labels=labels,
    link=link,
    prefixes=("production.",),
)
