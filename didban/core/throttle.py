"""A small fixed-window rate limit on the cache, for login and public forms."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render

from didban.core.middleware import client_ip


def throttle(request, scope: str, *, limit: int, window: int) -> bool:
    """Count this request; True when the client has gone over `limit` in `window` seconds."""
    bucket = int(time.time() // window)
    key = f"throttle:{scope}:{client_ip(request)}:{bucket}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count > limit


def too_many_requests(request) -> HttpResponse:
    """The translated 429 page, for a view whose `throttle` said no."""
    return render(request, "429.html", status=429)
