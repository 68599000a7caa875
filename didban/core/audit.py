"""The append-only, hash-chained audit log that every action writes to."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from didban.core.context import current
from didban.core.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    """The JSON form of a value exactly as it will read back from the database."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of a model instance, for an entry's before/after."""
    data = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = getattr(obj, field.attname)
    return _plain(data)


def entry_hash(
    *,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    actor_repr: str,
    org_id: int | None,
    verb: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    before: Any,
    after: Any,
    ip: str | None,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [
            seq,
            created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_id,
            actor_repr,
            org_id,
            verb,
            object_type,
            object_id,
            object_repr,
            before,
            after,
            ip,
            prev_hash,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def record(
    *,
    actor,
    verb: str,
    org=None,
    obj: models.Model | None = None,
    object_repr: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append one entry. Call it inside the action's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must run inside the action's transaction")
    head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    fields = {
        "seq": head.seq + 1,
        # Truncated to microseconds as every database stores them.
        "created_at": timezone.now(),
        "actor_id": actor_obj.pk if actor_obj else None,
        "actor_repr": (str(actor_obj) if actor_obj else (str(actor) if actor else ""))[:200],
        "org_id": org.pk if org is not None else None,
        "verb": verb,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_repr": (object_repr if object_repr is not None else str(obj or ""))[:300],
        "before": _plain(before),
        "after": _plain(after),
        "ip": current.get().ip,
        "prev_hash": head.hash,
    }
    digest = entry_hash(**fields)
    entry = AuditEntry.objects.create(hash=digest, **fields)
    head.seq = entry.seq
    head.hash = digest
    head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_broken_seq: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain; report the first entry that was edited, removed or inserted."""
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    last_seq = 0
    fields = [
        "seq", "created_at", "actor_id", "actor_repr", "org_id", "verb", "object_type",
        "object_id", "object_repr", "before", "after", "ip", "prev_hash", "hash",
    ]  # fmt: skip
    rows = AuditEntry.objects.order_by("seq").values_list(*fields)
    for row in rows.iterator(chunk_size=batch_size):
        data = dict(zip(fields, row, strict=True))
        count += 1
        seq = data["seq"]
        if seq != expected_seq:
            return ChainReport(
                False, count, expected_seq, f"entry #{expected_seq} is missing (next is #{seq})"
            )
        if data["prev_hash"] != expected_prev:
            return ChainReport(False, count, seq, f"entry #{seq} does not link to entry #{seq - 1}")
        stored = data.pop("hash")
        if entry_hash(**data) != stored:
            return ChainReport(False, count, seq, f"entry #{seq} was changed after it was written")
        expected_prev = stored
        expected_seq = seq + 1
        last_seq = seq
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != last_seq or head.hash != expected_prev):
        return ChainReport(
            False,
            count,
            last_seq + 1,
            f"entries after #{last_seq} are missing (the chain ends at #{head.seq})",
        )
    return ChainReport(True, count)
