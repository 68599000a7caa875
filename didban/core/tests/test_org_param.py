"""A list's ?org= names only one of the reader's organisations."""

from __future__ import annotations

import pytest

from didban.core.access import org_from_param


@pytest.mark.django_db
def test_org_param_is_kept_to_the_readers_scope(world, personas):
    editor, outsider = personas.county_editor, personas.outsider
    assert org_from_param(editor, "newsroom.view", str(world.karaj_info.pk)) == world.karaj_info
    assert org_from_param(editor, "newsroom.view", str(world.karaj.pk)) is None  # above it
    assert org_from_param(outsider, "newsroom.view", str(world.karaj_info.pk)) is None
    for bad in ("", None, "abc", "-1", "1.5", "9" * 30):
        assert org_from_param(editor, "newsroom.view", bad) is None
