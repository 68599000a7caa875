"""A webhook: signed JSON for any other system.

`POST <target>` with the JSON body; headers `X-Didban-Timestamp` (Unix seconds, also inside
the body), `X-Didban-Signature: sha256=<hex HMAC-SHA256 of the raw body under the channel's
signing key>`, `Idempotency-Key` (the delivery id, plus the follow-up for corrections and
retractions) and `X-Didban-Event`. A receiver verifies the signature over the exact bytes
and drops a key it has seen.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from django.utils.translation import gettext as _

from didban.publishing.transports import http
from didban.publishing.transports.base import Permanent, Sent, Temporary, Transport, Unknown


def signature(key: str, body: bytes) -> str:
    return "sha256=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


class WebhookTransport(Transport):
    can_edit = True
    can_delete = True

    def post(self, event: str, payload: dict, *, key: str) -> Sent:
        timestamp = int(time.time())
        body = json.dumps(
            {"event": event, "timestamp": timestamp, "idempotency_key": key, **payload},
            ensure_ascii=False, sort_keys=True,
        ).encode()  # fmt: skip
        headers = {
            "X-Didban-Event": event,
            "X-Didban-Timestamp": str(timestamp),
            "Idempotency-Key": key,
            "User-Agent": "Didban-Webhook/1",
        }
        if self.channel.has_secret:
            headers["X-Didban-Signature"] = signature(self.channel.secret(), body)
        status, response_headers, data = http.post(
            self.channel.target, timeout=self.timeout, raw=body, headers=headers
        )
        if 200 <= status < 300:
            try:
                reply = json.loads(data) if data else {}
            except ValueError:
                reply = {}
            remote_id = reply.get("id") if isinstance(reply, dict) else None
            return Sent([str(remote_id or key)])
        retry_after = response_headers.get("retry-after")
        try:
            retry_after = float(retry_after) if retry_after else None
        except ValueError:
            retry_after = None
        text = data[:200].decode("utf-8", "replace")
        message = _("The webhook answered HTTP %(status)s: %(text)s") % {
            "status": status,
            "text": text,
        }
        if status in (408, 425, 429, 502, 503, 504):
            raise Temporary(message, retry_after=retry_after)
        if status >= 500:
            raise Unknown(message)
        raise Permanent(message)

    def send(self, step, plan, *, delivery_id: int) -> Sent:
        return self.post("item.published", {"item": step.payload}, key=str(delivery_id))

    def edit(self, step, plan, ids, *, delivery_id: int) -> None:
        key = f"{delivery_id}-corrected-{int(time.time())}"
        self.post("item.corrected", {"item": step.payload}, key=key)

    def delete(self, ids, *, delivery_id: int) -> None:
        self.post("item.retracted", {"ids": ids}, key=f"{delivery_id}-retracted")
