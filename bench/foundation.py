"""Foundation figures: appending audit entries, and the place picker's search.

- audit append: entries/second written by `audit.record` inside actions' transactions, against
  the baseline of inserting the same rows without the hash chain (plain ORM create).
- place search: picker latency over the bundled places (Iran + Alborz, ~2,300 rows) using the
  stored normalised name, against normalising every name in Python per query.
"""

from __future__ import annotations

import statistics
import time

from django.db import transaction

QUERIES = ["کرج", "كرج", "محمدشهر", "ماهدشت", "فردیس", "آباد", "تهران", "ده"]


def _per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def run(report) -> None:
    from didban.accounts.models import User
    from didban.core import audit
    from didban.core.models import AuditVerification
    from didban.lib.persian import normalize
    from didban.places.actions import do_import_bundled_places
    from didban.places.models import Place
    from didban.places.queries import search_places

    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", password=None
    )
    n = 3000
    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            audit.record(actor=user, verb="bench.append", object_repr=f"entry {i}", after={"i": i})
    chained = _per_second(n, time.perf_counter() - started)
    started = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            AuditVerification.objects.create(entries=i, ok=True, problem=f"entry {i}")
    plain = _per_second(n, time.perf_counter() - started)
    report(
        "audit_append",
        chained,
        "entries/s",
        baseline=plain,
        baseline_label="plain insert, no chain",
    )

    started = time.perf_counter()
    result = audit.verify_chain()
    seconds = time.perf_counter() - started
    report(
        "audit_verify",
        _per_second(result.entries, seconds),
        "entries/s",
        baseline=chained,
        baseline_label="append rate",
    )

    if not Place.objects.exists():
        do_import_bundled_places(actor=user)
    indexed, naive = [], []
    for _ in range(5):
        for q in QUERIES:
            t = time.perf_counter()
            search_places(user, q)
            indexed.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            needle = normalize(q)
            [p for p in Place.objects.only("name_fa") if needle in normalize(p.name_fa)][:20]
            naive.append((time.perf_counter() - t) * 1000)
    report(
        "place_search_p50", statistics.median(indexed), "ms",
        baseline=statistics.median(naive), baseline_label="normalise every name per query",
    )  # fmt: skip
