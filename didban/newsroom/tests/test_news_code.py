"""Every item gets a news code (Jalali year + serial) unique in its organisation, even when
items are created at the same moment."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from didban.newsroom.actions import do_create_item
from didban.newsroom.models import Item


def test_codes_are_sequential_per_org_and_year(make_item, world, personas):
    first = make_item(now=datetime(2024, 2, 27, 8, tzinfo=UTC))
    second = make_item(now=datetime(2024, 2, 28, 8, tzinfo=UTC))
    other_org = make_item(
        org=world.karaj_municipality,
        actor=personas.county_pr_officer,
        now=datetime(2024, 2, 28, tzinfo=UTC),
    )
    next_year = make_item(now=datetime(2024, 3, 25, 8, tzinfo=UTC))  # 1403
    assert first.news_code == "140200001"
    assert second.news_code == "140200002"
    assert other_org.news_code == "140200001"
    assert next_year.news_code == "140300001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_never_collides():
    from didban.testing import build_personas, build_world

    world = build_world()
    personas = build_personas(world)
    threads_n, per_thread = (8, 5) if connection.vendor == "postgresql" else (1, 20)
    errors = []

    def work():
        from django.db import connection as conn

        try:
            for n in range(per_thread):
                do_create_item(
                    actor=personas.county_producer, org=world.karaj_info, title=f"خبر {n}"
                )
        except Exception as exc:
            errors.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    codes = list(Item.objects.filter(org=world.karaj_info).values_list("news_code", flat=True))
    assert len(codes) == threads_n * per_thread == len(set(codes))
    serials = sorted(int(code[4:]) for code in codes)
    assert serials == list(range(1, threads_n * per_thread + 1))
