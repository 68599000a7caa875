"""Scope: a role reaches its organisation's subtree and nothing else."""

import pytest

from didban.accounts.queries import list_organizations
from didban.core.access import has_perm, scoped_orgs


@pytest.mark.django_db
def test_county_editor_sees_the_committee_subtree_only(world, personas):
    codes = set(list_organizations(personas.county_editor).values_list("code", flat=True))
    assert codes == {"karaj-info"}


@pytest.mark.django_db
def test_province_supervisor_sees_every_county_below(world, personas):
    codes = set(list_organizations(personas.province_supervisor).values_list("code", flat=True))
    assert {"alborz", "karaj", "karaj-info", "fardis", "fardis-info", "karaj-municipality"} <= codes
    assert "national" not in codes


@pytest.mark.django_db
def test_outsider_cannot_reach_karaj(world, personas):
    assert not has_perm(personas.outsider, "org.view", world.karaj)
    assert not has_perm(personas.outsider, "org.view", world.karaj_info)
    assert not scoped_orgs(personas.outsider, "org.view").filter(pk=world.karaj_info.pk).exists()


@pytest.mark.django_db
def test_permission_follows_role(world, personas):
    assert has_perm(personas.county_admin, "users.manage", world.karaj_info)
    assert not has_perm(personas.county_editor, "users.manage", world.karaj_info)
    assert has_perm(personas.county_supervisor, "audit.view", world.karaj)
    assert not has_perm(personas.county_viewer, "audit.view", world.karaj)


@pytest.mark.django_db
def test_unknown_permission_fails_loudly(world, personas):
    with pytest.raises(ValueError):
        has_perm(personas.county_editor, "no.such.permission", world.karaj)
