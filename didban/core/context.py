"""Who is acting, from where: set by the request middleware, read by the audit log."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None


NO_REQUEST = RequestContext()
current: ContextVar[RequestContext] = ContextVar("didban_request", default=NO_REQUEST)
