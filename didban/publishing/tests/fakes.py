"""Local fake servers speaking the real protocols, for the tests and the benchmark.

- `FakeBotApi`: the Telegram Bot API protocol (Telegram, Bale): `/bot<token>/<method>`,
  form or multipart bodies, `{ok, result}` / `{ok: false, error_code, description,
  parameters: {retry_after}}`, length and HTML checks like the real API.
- `FakeEitaa`: eitaayar's `/api/<token>/sendMessage` and `/sendFile`.
- `FakeWebhook`: verifies `X-Didban-Signature` and counts posts per `Idempotency-Key`.
- `SmtpSink`: a real SMTP server (aiosmtpd) keeping what it receives.

Faults are injected per request, either scripted (`script.append("429")`) or at random
(`fail_rate`, `timeout_rate` with a seeded generator): `429` (with retry_after), `503` (not
processed), `500` (processed, then an error), `timeout` (processed, then an answer slower
than the client waits), `reset` (processed, then the connection dropped).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import socket
import threading
import time
from collections import Counter, defaultdict
from email import message_from_bytes
from email.policy import HTTP
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "span", "tg-spoiler", "blockquote"}  # fmt: skip


class _Entities(HTMLParser):
    """Checks Telegram HTML like the real API and measures the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.error = ""

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.error = f'Can\'t find end tag corresponding to start tag "{tag}"'
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse_entities(text: str) -> tuple[int, str]:
    """(visible length in UTF-16 units, error) of a parse_mode=HTML text."""
    if "&" in text:
        import re

        for entity in re.findall(r"&[^;\s]*;?", text):
            if not re.fullmatch(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);", entity):
                return 0, f"Unsupported entity {entity}"
    parser = _Entities()
    parser.feed(text)
    parser.close()
    if not parser.error and parser.stack:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"'
    visible = "".join(parser.text)
    return len(visible.encode("utf-16-le")) // 2, parser.error


def plain_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_body(headers, body: bytes) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """Form fields and files of a urlencoded, JSON or multipart body."""
    content_type = headers.get("Content-Type", "")
    if content_type.startswith("multipart/form-data"):
        message = message_from_bytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=HTTP
        )
        fields, files = {}, {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            if filename is not None:
                files[name] = (filename, payload)
            else:
                fields[name] = payload.decode()
        return fields, files
    if content_type.startswith("application/json"):
        data = json.loads(body or b"{}")
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()}, {}
    return {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}, {}


class Faults:
    def __init__(self, *, seed: int = 7):
        self.script: list[str] = []
        self.fail_rate = 0.0  # share of requests answered 503 / 429 / 500
        self.timeout_rate = 0.0  # share of requests processed, then answered too late
        self.slow_seconds = 1.5
        self.retry_after = 1
        self.random = random.Random(seed)
        self.lock = threading.Lock()

    def next(self) -> str:
        with self.lock:
            if self.script:
                return self.script.pop(0)
            roll = self.random.random()
            if roll < self.timeout_rate:
                return "timeout"
            if roll < self.timeout_rate + self.fail_rate:
                return self.random.choice(["503", "429", "500", "reset"])
            return ""


class FakeServer:
    """A ThreadingHTTPServer on 127.0.0.1 in a daemon thread; `with` stops it."""

    def __init__(self):
        self.faults = Faults()
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                server.handle(self, urlsplit(self.path).path, body)

            do_GET = do_POST

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def reply(self, handler, status: int, data, *, fault: str = "", headers=None):
        if fault == "timeout":
            time.sleep(self.faults.slow_seconds)
        if fault == "reset":
            handler.connection.shutdown(socket.SHUT_RDWR)
            handler.close_connection = True
            return
        raw = json.dumps(data, ensure_ascii=False).encode() if not isinstance(data, bytes) else data
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(raw)))
            for key, value in (headers or {}).items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(raw)
        except OSError:
            pass  # the client gave up waiting

    def handle(self, handler, path: str, body: bytes):
        raise NotImplementedError

    def pre_fault(self, handler) -> tuple[str, bool]:
        """Apply faults that answer before processing; (fault, handled)."""
        fault = self.faults.next()
        if fault == "503":
            self.reply(
                handler, 503, {"ok": False, "error_code": 503, "description": "Service Unavailable"}
            )
            return fault, True
        if fault == "429":
            retry = self.faults.retry_after
            self.reply(
                handler, 429,
                {"ok": False, "error_code": 429,
                 "description": f"Too Many Requests: retry after {retry}",
                 "parameters": {"retry_after": retry}},
            )  # fmt: skip
            return fault, True
        return fault, False


class FakeBotApi(FakeServer):
    """The Telegram Bot API protocol, as Telegram and Bale serve it."""

    def __init__(self, *, tokens=("123:TEST",), members: int = 1250):
        self.tokens = set(tokens)
        self.members = members
        self.chats: dict[str, list[dict]] = defaultdict(list)
        self.next_id = 100
        super().__init__()

    def posts(self, chat: str | None = None) -> list[dict]:
        with self.lock:
            chats = [chat] if chat else list(self.chats)
            return [m for c in chats for m in self.chats[c] if not m.get("deleted")]

    def count_containing(self, needle: str) -> int:
        """How many posting requests carried `needle` (a news code) in their text."""
        with self.lock:
            return sum(
                1 for r in self.requests if r["method"].startswith("send") and needle in r["text"]
            )

    def _error(self, handler, code: int, description: str):
        self.reply(handler, code, {"ok": False, "error_code": code, "description": description})

    def handle(self, handler, path: str, body: bytes):
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return self._error(handler, 404, "Not Found")
        token, method = parts[0][3:], parts[1]
        if token not in self.tokens:
            return self._error(handler, 401, "Unauthorized")
        fault, handled = self.pre_fault(handler)
        if handled:
            return None
        fields, files = parse_body(handler.headers, body)
        chat = fields.get("chat_id", "")
        if method in ("getMe",):
            return self.reply(handler, 200, {"ok": True, "result": {"id": 1, "is_bot": True}})
        if not chat:
            return self._error(handler, 400, "Bad Request: chat_id is empty")
        html_mode = fields.get("parse_mode", "").upper() == "HTML"

        def measure(text: str) -> tuple[int, str]:
            return parse_entities(text) if html_mode else (plain_length(text), "")

        if method == "getChatMemberCount":
            return self.reply(handler, 200, {"ok": True, "result": self.members})
        if method in ("sendMessage", "editMessageText"):
            text = fields.get("text", "")
            size, error = measure(text)
            if error:
                return self._error(handler, 400, f"Bad Request: can't parse entities: {error}")
            if size == 0:
                return self._error(handler, 400, "Bad Request: message text is empty")
            if size > 4096:
                return self._error(handler, 400, "Bad Request: message is too long")
        caption = fields.get("caption", "")
        if caption:
            size, error = measure(caption)
            if error:
                return self._error(handler, 400, f"Bad Request: can't parse entities: {error}")
            if size > 1024:
                return self._error(handler, 400, "Bad Request: message caption is too long")
        with self.lock:
            if method.startswith("send"):
                record = {"method": method, "chat": chat, "text": fields.get("text", caption),
                          "files": {k: (n, len(d)) for k, (n, d) in files.items()}}  # fmt: skip
                if method == "sendMediaGroup":
                    media = json.loads(fields.get("media", "[]"))
                    if not 2 <= len(media) <= 10:
                        return self._error(handler, 400, "Bad Request: wrong number of media")
                    for entry in media:
                        ref = entry["media"].removeprefix("attach://")
                        if ref not in files:
                            return self._error(handler, 400, "Bad Request: wrong file identifier")
                        cap = entry.get("caption", "")
                        if cap:
                            size, error = (
                                parse_entities(cap)
                                if entry.get("parse_mode")
                                else (plain_length(cap), "")
                            )
                            if error or size > 1024:
                                return self._error(handler, 400, "Bad Request: bad caption")
                    record["text"] = media[0].get("caption", "")
                    results = []
                    for entry in media:
                        self.next_id += 1
                        message = {"message_id": self.next_id, "type": entry["type"],
                                   "caption": entry.get("caption", ""), "chat": chat}  # fmt: skip
                        self.chats[chat].append(message)
                        results.append(message)
                    self.requests.append(record)
                    result = results
                else:
                    if method != "sendMessage":
                        field = method.removeprefix("send").lower()
                        if field not in files:
                            return self._error(
                                handler, 400, f"Bad Request: there is no {field} in the request"
                            )
                    self.next_id += 1
                    result = {"message_id": self.next_id, "chat": chat, "text": record["text"],
                              "kind": method}  # fmt: skip
                    self.chats[chat].append(result)
                    self.requests.append(record)
            elif method in ("editMessageText", "editMessageCaption", "deleteMessage"):
                target = int(fields.get("message_id", 0))
                found = next((m for m in self.chats[chat] if m["message_id"] == target), None)
                self.requests.append(
                    {"method": method, "chat": chat, "text": fields.get("text", caption)}
                )
                if found is None or found.get("deleted"):
                    return self._error(handler, 400, "Bad Request: message to edit not found"
                                       if method != "deleteMessage" else
                                       "Bad Request: message can't be deleted")  # fmt: skip
                if method == "deleteMessage":
                    found["deleted"] = True
                    result = True
                else:
                    key = "text" if method == "editMessageText" else "caption"
                    new = fields.get(key, "")
                    if found.get(key) == new:
                        return self._error(handler, 400, "Bad Request: message is not modified")
                    found[key] = new
                    found["edited"] = True
                    result = found
            else:
                return self._error(handler, 404, "Not Found: method not found")
        if fault == "500":
            return self._error(handler, 500, "Internal Server Error")
        return self.reply(handler, 200, {"ok": True, "result": result}, fault=fault)


class FakeEitaa(FakeServer):
    """eitaayar.ir: /api/<token>/sendMessage and /api/<token>/sendFile."""

    def __init__(self, *, tokens=("eitaa-token",)):
        self.tokens = set(tokens)
        self.messages: list[dict] = []
        self.next_id = 5000
        super().__init__()

    def count_containing(self, needle: str) -> int:
        with self.lock:
            return sum(1 for m in self.messages if needle in m["text"])

    def handle(self, handler, path: str, body: bytes):
        parts = path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "api":
            return self.reply(handler, 404, {"ok": False, "description": "not found"})
        token, method = parts[1], parts[2]
        if token not in self.tokens:
            return self.reply(
                handler, 401, {"ok": False, "error_code": 401, "description": "توکن نامعتبر است"}
            )
        fault, handled = self.pre_fault(handler)
        if handled:
            return None
        fields, files = parse_body(handler.headers, body)
        if not fields.get("chat_id"):
            return self.reply(
                handler, 400, {"ok": False, "error_code": 400, "description": "chat_id is required"}
            )
        if method == "sendMessage":
            text = fields.get("text", "")
            if not text:
                return self.reply(
                    handler,
                    400,
                    {"ok": False, "error_code": 400, "description": "text is required"},
                )
        elif method == "sendFile":
            if "file" not in files:
                return self.reply(
                    handler,
                    400,
                    {"ok": False, "error_code": 400, "description": "file is required"},
                )
            text = fields.get("caption", "")
        else:
            return self.reply(handler, 404, {"ok": False, "description": "method not found"})
        with self.lock:
            self.next_id += 1
            self.messages.append({"message_id": self.next_id, "method": method, "text": text,
                                  "chat": fields["chat_id"],
                                  "file": (files["file"][0], len(files["file"][1])) if files else None})  # fmt: skip
            message_id = self.next_id
        if fault == "500":
            return self.reply(
                handler, 500, {"ok": False, "error_code": 500, "description": "internal"}
            )
        return self.reply(
            handler, 200, {"ok": True, "result": {"message_id": message_id}}, fault=fault
        )


class FakeWebhook(FakeServer):
    """Verifies the signature; counts posts per idempotency key and drops repeats."""

    def __init__(self, *, key: str = "hook-secret"):
        self.key = key
        self.received: list[dict] = []
        self.posts_by_key: Counter = Counter()
        self.rejected = 0
        super().__init__()

    def handle(self, handler, path: str, body: bytes):
        expected = "sha256=" + hmac.new(self.key.encode(), body, hashlib.sha256).hexdigest()
        given = handler.headers.get("X-Didban-Signature", "")
        if not hmac.compare_digest(expected, given):
            with self.lock:
                self.rejected += 1
            return self.reply(handler, 401, {"error": "bad signature"})
        fault, handled = self.pre_fault(handler)
        if handled:
            return None
        key = handler.headers.get("Idempotency-Key", "")
        data = json.loads(body)
        if str(data.get("timestamp")) != handler.headers.get("X-Didban-Timestamp"):
            return self.reply(handler, 400, {"error": "timestamp mismatch"})
        with self.lock:
            self.posts_by_key[key] += 1
            if self.posts_by_key[key] == 1:
                self.received.append(
                    {"key": key, "event": handler.headers.get("X-Didban-Event"), "body": data}
                )
        if fault == "500":
            return self.reply(handler, 500, {"error": "internal"})
        return self.reply(handler, 200, {"id": f"hook-{key}"}, fault=fault)

    def count_item(self, item_id: int) -> int:
        """Distinct first-time posts of an item (repeats under one key are not new posts)."""
        with self.lock:
            return sum(
                1 for r in self.received
                if r["event"] == "item.published" and r["body"]["item"]["item_id"] == item_id
            )  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[dict] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.messages.append(
                    {"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                     "data": envelope.original_content or envelope.content}
                )  # fmt: skip
                return "250 Message accepted for delivery"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self):
        self.controller.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
