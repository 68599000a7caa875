"""The Telegram Bot API protocol: Telegram itself and Bale (tapi.bale.ai) speak it alike.

`POST <base>/bot<token>/<method>`; replies `{"ok": true, "result": …}` or
`{"ok": false, "error_code": 429, "description": "…", "parameters": {"retry_after": 5}}`.
Files go up as multipart; a media group names its files `attach://<field>`.
"""

from __future__ import annotations

import json

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from didban.publishing.transports import http
from didban.publishing.transports.base import (
    Permanent,
    Sent,
    Temporary,
    Transport,
    Unknown,
)

METHOD_FOR = {
    "photo": ("sendPhoto", "photo"),
    "video": ("sendVideo", "video"),
    "audio": ("sendAudio", "audio"),
    "document": ("sendDocument", "document"),
}
GROUP_TYPE = {"photo": "photo", "video": "video", "audio": "audio", "document": "document"}


def read_media(media) -> tuple[str, bytes, str]:
    with default_storage.open(media.path, "rb") as handle:
        return media.name, handle.read(), media.content_type or http.guess_type(media.name)


def classify(status: int, headers: dict, body: bytes, *, what: str):
    """The `result` of a Bot API reply, or the right TransportError."""
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        if status in (502, 503, 504):
            raise Temporary(_("The server is unavailable (HTTP %(status)s).") % {"status": status})
        raise Unknown(
            _("Unreadable reply (HTTP %(status)s) to %(what)s.") % {"status": status, "what": what}
        )
    if data.get("ok") is True:
        return data.get("result")
    code = data.get("error_code") or status
    description = str(data.get("description") or "")[:500]
    parameters = data.get("parameters") or {}
    if code == 429:
        retry_after = parameters.get("retry_after") or headers.get("retry-after")
        try:
            retry_after = float(retry_after) if retry_after is not None else None
        except (TypeError, ValueError):
            retry_after = None
        raise Temporary(
            _("Too many requests; the server asks to wait %(seconds)s seconds.")
            % {"seconds": retry_after if retry_after is not None else "?"},
            retry_after=retry_after,
        )
    if code in (502, 503, 504):
        raise Temporary(
            _("The server is unavailable (%(code)s): %(text)s")
            % {"code": code, "text": description}
        )
    if code >= 500:
        raise Unknown(_("Server error %(code)s: %(text)s") % {"code": code, "text": description})
    if code in (401, 404) and not description:
        description = _("the bot token is not valid")
    raise Permanent(_("Refused (%(code)s): %(text)s") % {"code": code, "text": description})


class TelegramTransport(Transport):
    """sendMessage/sendPhoto/…/sendMediaGroup; editMessageText/Caption; deleteMessage."""

    can_edit = True
    can_delete = True

    def url(self, method: str) -> str:
        return f"{self.channel.api_base_url}/bot{self.channel.secret()}/{method}"

    def call(self, method: str, *, form=None, files=None):
        status, headers, body = http.post(
            self.url(method), timeout=self.timeout, form=form, files=files
        )
        return classify(status, headers, body, what=method)

    def send(self, step, plan, *, delivery_id: int) -> Sent:
        chat = self.channel.target
        base = {"chat_id": chat}
        if plan.parse_mode:
            base["parse_mode"] = plan.parse_mode
        if step.method == "message":
            result = self.call("sendMessage", form={**base, "text": step.text})
            return Sent([str(result["message_id"])])
        if step.method == "media_group":
            items, files = [], {}
            for n, media in enumerate(step.media):
                field = f"file{n}"
                files[field] = read_media(media)
                entry = {
                    "type": GROUP_TYPE.get(media.kind, "document"),
                    "media": f"attach://{field}",
                }
                if n == 0 and step.text:
                    entry["caption"] = step.text
                    if plan.parse_mode:
                        entry["parse_mode"] = plan.parse_mode
                items.append(entry)
            form = {"chat_id": chat, "media": json.dumps(items, ensure_ascii=False)}
            result = self.call("sendMediaGroup", form=form, files=files)
            return Sent([str(message["message_id"]) for message in result])
        method, field = METHOD_FOR[step.method]
        form = dict(base)
        if step.text:
            form["caption"] = step.text
        result = self.call(method, form=form, files={field: read_media(step.media[0])})
        return Sent([str(result["message_id"])])

    def edit(self, step, plan, ids: list[str], *, delivery_id: int) -> None:
        form = {"chat_id": self.channel.target, "message_id": ids[0]}
        if plan.parse_mode:
            form["parse_mode"] = plan.parse_mode
        try:
            if step.method == "message":
                self.call("editMessageText", form={**form, "text": step.text})
            else:
                self.call("editMessageCaption", form={**form, "caption": step.text})
        except Permanent as exc:
            # The same text again is not an error for a correction.
            if "not modified" not in exc.message:
                raise

    def delete(self, ids: list[str], *, delivery_id: int) -> None:
        for message_id in ids:
            self.call(
                "deleteMessage", form={"chat_id": self.channel.target, "message_id": message_id}
            )

    def member_count(self) -> int:
        """Subscribers of the channel (getChatMemberCount), for the command room."""
        return int(self.call("getChatMemberCount", form={"chat_id": self.channel.target}))
