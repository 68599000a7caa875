"""One transport per kind of channel (see base.py for the error model)."""

from __future__ import annotations

from django.conf import settings

from didban.publishing.transports.base import (  # noqa: F401
    NotSupported,
    Permanent,
    Sent,
    Temporary,
    Transport,
    TransportError,
    Unknown,
)


def transport_for(channel, *, timeout: float | None = None) -> Transport:
    from didban.publishing.transports.eitaa import EitaaTransport
    from didban.publishing.transports.email import EmailTransport
    from didban.publishing.transports.sandbox import SandboxTransport
    from didban.publishing.transports.telegram import TelegramTransport
    from didban.publishing.transports.webhook import WebhookTransport
    from didban.publishing.transports.website import WebsiteTransport

    classes = {
        "telegram": TelegramTransport,
        "bale": TelegramTransport,
        "eitaa": EitaaTransport,
        "email": EmailTransport,
        "webhook": WebhookTransport,
        "website": WebsiteTransport,
        "sandbox": SandboxTransport,
    }
    return classes[channel.kind](
        channel, timeout=timeout if timeout is not None else settings.PUBLISHING_TIMEOUT_SECONDS
    )
