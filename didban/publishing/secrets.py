"""Channel secrets at rest: Fernet tokens under a key derived from the configured secret.

The key comes from DIDBAN_SECRETS_KEY, else from SECRET_KEY, through SHA-256 (Fernet wants 32
url-safe base64 bytes; any long string is accepted). A changed key makes saved secrets
unreadable: the channel then says so and asks for the secret again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class SecretUnreadable(Exception):
    """The stored secret was encrypted under another key."""


def _fernet() -> Fernet:
    material = settings.SECRETS_KEY or settings.SECRET_KEY
    digest = hashlib.sha256(b"didban-channel-secrets:" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable from None
