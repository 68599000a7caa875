"""A small HTTP client that knows whether a request reached the server.

`http.client` lets the two halves of a request fail separately: a failure to connect or to
write the request means nothing was received (temporary); a failure while waiting for or
reading the answer means the server may have acted on it (unknown outcome).
"""

from __future__ import annotations

import http.client
import json
import mimetypes
import uuid
from urllib.parse import urlencode, urlsplit

from django.utils.translation import gettext as _

from didban.publishing.transports.base import Temporary, Unknown


def multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    """Encode form fields and files (name → (filename, content, content type))."""
    boundary = uuid.uuid4().hex
    out = bytearray()
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += str(value).encode() + b"\r\n"
    for name, (filename, content, content_type) in files.items():
        safe = filename.replace('"', "").replace("\r", "").replace("\n", "")
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{safe}"\r\nContent-Type: {content_type}\r\n\r\n'
        ).encode()
        out += content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def guess_type(name: str, fallback: str = "application/octet-stream") -> str:
    return mimetypes.guess_type(name)[0] or fallback


def post(
    url: str,
    *,
    timeout: float,
    form: dict | None = None,
    files: dict | None = None,
    json_body: dict | None = None,
    raw: bytes | None = None,
    headers: dict | None = None,
) -> tuple[int, dict, bytes]:
    """POST and return (status, response headers, body), or raise Temporary / Unknown."""
    headers = dict(headers or {})
    if files:
        body, content_type = multipart(form or {}, files)
    elif json_body is not None or raw is not None:
        body = raw if raw is not None else json.dumps(json_body, ensure_ascii=False).encode()
        content_type = "application/json"
    else:
        body, content_type = urlencode(form or {}).encode(), "application/x-www-form-urlencoded"
    headers.setdefault("Content-Type", content_type)
    headers["Content-Length"] = str(len(body))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Temporary(_("The address %(url)s is not an http(s) URL.") % {"url": url})
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        try:
            connection.connect()
            connection.request("POST", path, body=body, headers=headers)
        except OSError as exc:
            raise Temporary(
                _("Could not reach %(host)s: %(error)s") % {"host": parts.hostname, "error": exc}
            ) from exc
        try:
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise Unknown(
                _("No answer from %(host)s after the request was sent (%(error)s).")
                % {"host": parts.hostname, "error": exc.__class__.__name__}
            ) from exc
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()
