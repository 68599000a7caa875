"""Eitaa through the eitaayar.ir HTTP API.

`POST <base>/api/<token>/sendMessage` (form: chat_id, text, title, disable_notification …) and
`/api/<token>/sendFile` (multipart: chat_id, caption, file); replies `{"ok": true, "result":
{"message_id": …}}` or `{"ok": false, "description": …}`. The API has no edit and no delete,
so corrections and retractions are recorded as not possible on Eitaa.
"""

from __future__ import annotations

from didban.publishing.transports import http
from didban.publishing.transports.base import Sent, Transport
from didban.publishing.transports.telegram import classify, read_media


class EitaaTransport(Transport):
    def url(self, method: str) -> str:
        return f"{self.channel.api_base_url}/api/{self.channel.secret()}/{method}"

    def send(self, step, plan, *, delivery_id: int) -> Sent:
        chat = self.channel.target
        if step.method == "message":
            status, headers, body = http.post(
                self.url("sendMessage"),
                timeout=self.timeout,
                form={"chat_id": chat, "text": step.text},
            )
            result = classify(status, headers, body, what="sendMessage")
        else:
            form = {"chat_id": chat}
            if step.text:
                form["caption"] = step.text
            status, headers, body = http.post(
                self.url("sendFile"), timeout=self.timeout, form=form,
                files={"file": read_media(step.media[0])},
            )  # fmt: skip
            result = classify(status, headers, body, what="sendFile")
        message_id = result.get("message_id", "") if isinstance(result, dict) else result
        return Sent([str(message_id)])
