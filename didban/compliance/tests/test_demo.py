"""The demo scenario loads through the actions and covers every state."""

import pytest


@pytest.mark.django_db
def test_demo_loads_the_1402_election_with_reports_in_every_state(settings, tmp_path):
    from didban.compliance.models import Election, Violation
    from didban.core.demo import load_demo

    load_demo()
    election = Election.objects.get(slug="majlis-1402")
    assert election.rules.count() >= 10 and election.candidates.count() == 12
    assert Violation.objects.count() == 200
    assert set(Violation.objects.values_list("status", flat=True)) == set(Violation.Status.values)
    assert Violation.objects.filter(source="citizen").exists()
    assert Violation.objects.filter(reporter__username="karaj.field").exists()
