"""The metric providers, one module per app; see base.py for the contract."""

from __future__ import annotations

from didban.command.metrics import compliance, field, monitoring, newsroom, publishing
from didban.command.metrics.base import Provider

ALL: list[Provider] = [
    newsroom.PROVIDER,
    publishing.PROVIDER,
    monitoring.PROVIDER,
    field.PROVIDER,
    compliance.PROVIDER,
]


def available() -> list[Provider]:
    """Providers whose app and models are installed right now."""
    result = []
    for provider in ALL:
        try:
            ok = provider.available()
        except Exception:  # a half-built app hides its figures, never the screen
            ok = False
        if ok:
            result.append(provider)
    return result


def provider_for(metric: str) -> Provider | None:
    for provider in ALL:
        if any(metric.startswith(p) for p in provider.prefixes):
            return provider
    return None


def labels() -> dict[str, str]:
    result: dict[str, str] = {}
    for provider in available():
        result.update(provider.labels())
    return result
