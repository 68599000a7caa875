"""Compliance desk: server time of one desk page over 100,000 violation reports.

- desk page: the scoped, filtered list (open reports of one category, newest first, 50 rows)
  with likely duplicates grouped by one query over the page's keys (queries.group_duplicates),
  rendered through the real view by the test client as a county supervisor.
- baseline: the naive grouping: for each row on the page, a query for every report of the
  same place, candidate and 6-hour slot, compared one by one.
Rows are bulk-inserted (the actions' audit cost is measured elsewhere).
"""

from __future__ import annotations

import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta

N = int(__import__("os").environ.get("BENCH_N", "100000"))
ROUNDS = 5


def run(report) -> None:
    import random

    from django.test import Client

    from didban.accounts.models import Membership, Organization, User
    from didban.compliance.actions import duplicate_key
    from didban.compliance.models import Candidate, Election, RuleCategory, Violation
    from didban.compliance.queries import ViolationFilter, list_violations, similarity
    from didban.lib.persian import normalize
    from didban.places.models import Place

    rng = random.Random(7)
    org = Organization.objects.create(name="ستاد بنچ", code=f"bench-{uuid.uuid4().hex[:6]}",
                                      kind=Organization.Kind.COUNTY_HQ)  # fmt: skip
    org.path = f"/{org.pk}/"
    org.save(update_fields=["path"])
    user = User.objects.create_user(f"bench-sup-{org.pk}", password="x")
    Membership.objects.create(user=user, org=org, role="supervisor")
    election = Election.objects.create(org=org, name="بنچ", slug=f"bench-{org.pk}",
                                       election_day=date(2024, 3, 1))  # fmt: skip
    candidates = [Candidate.objects.create(election=election, name=f"نامزد {i}") for i in range(30)]
    places = [Place.objects.create(code=f"B{org.pk}-{i}", kind="district", name_fa=f"محله {i}")
              for i in range(300)]  # fmt: skip
    texts = ["پوستر نامزد روی دیوار مسجد", "بنر روی تیر برق بلوار", "تراکت در حیاط مدرسه",
             "دیوارنویسی روی دیوار پارک", "خودروی اداری برای تبلیغ"]  # fmt: skip
    start = datetime(2024, 2, 20, tzinfo=UTC)
    categories = RuleCategory.values
    statuses = Violation.Status.values
    rows = []
    for i in range(N):
        seen = start + timedelta(minutes=rng.randint(0, 60 * 24 * 10))
        place, cand = rng.choice(places), rng.choice(candidates)
        text = rng.choice(texts)
        rows.append(Violation(
            org=org, election=election, source="field", tracking_code=f"{i:010d}",
            description=text, description_norm=normalize(text),
            rule_category=rng.choice(categories), candidate=cand, place=place,
            observed_at=seen, created_at=seen, status=rng.choice(statuses),
            dup_key=duplicate_key(place_id=place.pk, latitude=None, longitude=None,
                                  candidate_id=cand.pk, observed_at=seen),
        ))  # fmt: skip
    Violation.objects.bulk_create(rows, batch_size=5000)

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = "/compliance/?status=open&category=public_property"
    client.get(url)  # warm
    times = []
    for _ in range(ROUNDS):
        t = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t)
        assert response.status_code == 200, (response.status_code, response.content[:300])
    desk_ms = statistics.median(times) * 1000

    def naive():
        page = list(
            list_violations(
                user, ViolationFilter(status="open", category="public_property")
            ).order_by("-created_at", "-pk")[:50]
        )
        groups = {}
        for v in page:
            peers = Violation.objects.filter(
                place_id=v.place_id, candidate_id=v.candidate_id,
                observed_at__gte=v.observed_at - timedelta(hours=6),
                observed_at__lte=v.observed_at + timedelta(hours=6),
            ).exclude(pk=v.pk)  # fmt: skip
            groups[v.pk] = [
                p.pk for p in peers if similarity(v.description_norm, p.description_norm) >= 0.3
            ]
        return groups

    naive()
    times = []
    for _ in range(ROUNDS):
        t = time.perf_counter()
        naive()
        times.append(time.perf_counter() - t)
    naive_ms = statistics.median(times) * 1000
    report("desk page with duplicate groups (100k reports)", round(desk_ms, 1), "ms",
           baseline=round(naive_ms, 1),
           baseline_label="list + per-row duplicate queries, no template")  # fmt: skip
