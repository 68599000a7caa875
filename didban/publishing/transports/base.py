"""What every transport shares: the error model and the interface.

Each failure is one of three kinds, and the worker treats them differently:
- `Permanent`: the channel refused (bad token, chat not found, message too long): no retry.
- `Temporary`: nothing was posted (could not connect, 429, 503): retry later, honouring
  `retry_after` when the server names it.
- `Unknown`: the request went out and no clear answer came back (timeout while waiting, the
  connection dropped after sending, HTTP 500). The post may exist: never re-sent by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class TransportError(Exception):
    kind = "unknown"

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class Permanent(TransportError):
    kind = "permanent"


class Temporary(TransportError):
    kind = "temporary"


class Unknown(TransportError):
    kind = "unknown"


class NotSupported(Exception):
    """The channel cannot do this (email cannot be unsent, eitaayar cannot edit)."""


@dataclass
class Sent:
    """The result of one step: the messenger's ids of what it posted and a URL if any."""

    ids: list[str] = field(default_factory=list)
    url: str = ""


class Transport:
    can_edit = False
    can_delete = False

    def __init__(self, channel, *, timeout: float):
        self.channel = channel
        self.timeout = timeout

    def send(self, step, plan, *, delivery_id: int) -> Sent:
        raise NotImplementedError

    def edit(self, step, plan, ids: list[str], *, delivery_id: int) -> None:
        raise NotSupported

    def delete(self, ids: list[str], *, delivery_id: int) -> None:
        raise NotSupported
