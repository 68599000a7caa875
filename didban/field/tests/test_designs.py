"""Designs: sniffed uploads, versions that keep the old file, approval, and the shared library."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from didban.accounts.models import Organization
from didban.core.roles import Role
from didban.field import actions
from didban.field.models import Design
from didban.field.queries import list_designs
from didban.field.tests.helpers import approved_design, jpeg, pdf
from didban.testing import OrganizationFactory, member

pytestmark = pytest.mark.django_db


def test_image_design_gets_checksum_thumbnail_and_size(personas, world):
    design = actions.do_create_design(
        actor=personas.county_producer, org=world.karaj_info, title="  طرح  دهه فجر ", upload=jpeg()
    )
    version = design.current_version
    assert design.title == "طرح دهه فجر"
    assert design.status == Design.Status.DRAFT
    assert version.mime == "image/jpeg" and version.width == 64 and version.height == 48
    assert len(version.sha256) == 64 and version.thumbnail


def test_pdf_is_accepted_and_a_renamed_text_file_is_not(personas, world):
    design = actions.do_create_design(
        actor=personas.county_editor, org=world.karaj_info, title="پوستر", upload=pdf()
    )
    assert design.current_version.mime == "application/pdf"
    fake = SimpleUploadedFile("poster.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        actions.do_create_design(
            actor=personas.county_editor, org=world.karaj_info, title="x", upload=fake
        )
    assert Design.objects.count() == 1


def test_upload_over_the_limit_is_refused(personas, world, settings):
    settings.FIELD_UPLOAD_MAX_MB = 0
    with pytest.raises(ValidationError):
        actions.do_create_design(
            actor=personas.county_editor, org=world.karaj_info, title="x", upload=jpeg()
        )


def test_new_version_keeps_the_old_and_needs_approval_again(personas, world):
    design = approved_design(personas.county_editor, world.karaj_info)
    first = design.current_version
    version = actions.do_add_design_version(
        actor=personas.county_producer,
        design=design,
        upload=jpeg(color=(0, 0, 255)),
        note="رنگ جدید",
    )
    design.refresh_from_db()
    assert version.number == 2 and design.current_version == version
    assert design.status == Design.Status.DRAFT
    assert list(design.versions.values_list("number", flat=True)) == [2, 1]
    assert first.sha256 != version.sha256 and first.file.storage.exists(first.file.name)


def test_producer_cannot_approve_and_rejection_needs_a_reason(personas, world):
    design = actions.do_create_design(
        actor=personas.county_producer, org=world.karaj_info, title="x", upload=jpeg()
    )
    with pytest.raises(PermissionDenied):
        actions.do_review_design(actor=personas.county_producer, design=design, approve=True)
    with pytest.raises(ValidationError):
        actions.do_review_design(actor=personas.county_editor, design=design, approve=False)
    actions.do_review_design(
        actor=personas.county_supervisor, design=design, approve=False, note="کیفیت پایین"
    )
    assert Design.objects.get().status == Design.Status.REJECTED


def test_outsider_cannot_create_in_karaj(personas, world):
    with pytest.raises(PermissionDenied):
        actions.do_create_design(
            actor=personas.outsider, org=world.karaj_info, title="x", upload=jpeg()
        )


def test_library_sharing_rule(personas, world):
    """Own subtree sees all; the province sees down; counties see the province's approved
    designs; another county sees Karaj's only when shared with the province, and only approved."""
    draft = actions.do_create_design(
        actor=personas.county_editor, org=world.karaj_info, title="پیش‌نویس", upload=jpeg()
    )
    pilot = approved_design(personas.county_editor, world.karaj_info, title="طرح پایلوت")
    province_design = approved_design(
        personas.province_supervisor, world.alborz, title="طرح استانی"
    )
    outsider = personas.outsider

    assert set(list_designs(personas.county_viewer)) == {draft, pilot, province_design}
    assert set(list_designs(personas.province_supervisor)) == {draft, pilot, province_design}
    assert set(list_designs(outsider)) == {province_design}

    actions.do_share_design(actor=personas.county_editor, design=pilot, shared=True)
    assert set(list_designs(outsider)) == {province_design, pilot}
    with pytest.raises(ValidationError):
        actions.do_share_design(actor=personas.county_editor, design=draft, shared=True)

    # Another province never sees it.
    tehran = OrganizationFactory(
        code="tehran", kind=Organization.Kind.PROVINCE_HQ, parent=world.national
    )
    stranger = member(Role.EDITOR, tehran)
    assert list(list_designs(stranger)) == []
    # A shared design going back to draft (new version) disappears from the others.
    actions.do_add_design_version(
        actor=personas.county_editor, design=pilot, upload=jpeg(color=(1, 2, 3))
    )
    assert set(list_designs(outsider)) == {province_design}
    # And it can be placed by Fardis once approved again (design_usable_by).
    actions.do_review_design(actor=personas.county_editor, design=pilot, approve=True)
    assert actions.design_usable_by(pilot, world.fardis)
    actions.do_share_design(actor=personas.county_editor, design=pilot, shared=False)
    assert not actions.design_usable_by(pilot, world.fardis)
