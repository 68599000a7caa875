"""Test personas and factories, shared by every app's tests (see conftest.py).

The world: national HQ → Alborz province HQ → Karaj county HQ (with its information
committee and the Karaj municipality PR unit) and Fardis county HQ (with its committee).
Personas: a Karaj editor, producer, field agent, supervisor, admin, analyst, PR officer,
viewer; the Alborz province supervisor; and the outsider, an editor of Fardis county.
"""

from __future__ import annotations

from dataclasses import dataclass

import factory
from django.db import transaction

from didban.accounts.actions import _rebuild_paths
from didban.accounts.models import Membership, Organization, User
from didban.core.roles import Role
from didban.places.models import Place

PASSWORD = "test-pass-7391"  # noqa: S105 - the personas' password in tests


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    code = factory.Sequence(lambda n: f"T{n:05d}")
    kind = Place.Kind.CITY
    name_fa = factory.Sequence(lambda n: f"شهر {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"سازمان {n}")
    code = factory.Sequence(lambda n: f"org-{n}")
    kind = Organization.Kind.COUNTY_HQ

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with transaction.atomic():
            org = super()._create(model_class, *args, **kwargs)
            _rebuild_paths(org)
        return org


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "کاربر"
    last_name = factory.Sequence(lambda n: f"آزمایشی {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(role: str, org: Organization, **user_fields) -> User:
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, org=org, role=role)
    return user


@dataclass
class World:
    national: Organization
    alborz: Organization
    karaj: Organization
    karaj_info: Organization
    karaj_municipality: Organization
    fardis: Organization
    fardis_info: Organization
    alborz_place: Place
    karaj_place: Place
    fardis_place: Place


def build_world() -> World:
    alborz_place = PlaceFactory(
        code="30", kind=Place.Kind.PROVINCE, name_fa="البرز", name_en="Alborz"
    )
    karaj_place = PlaceFactory(
        code="3001", kind=Place.Kind.COUNTY, name_fa="کرج", name_en="Karaj", parent=alborz_place,
        latitude="35.832660", longitude="50.991550",
    )  # fmt: skip
    fardis_place = PlaceFactory(
        code="3006", kind=Place.Kind.COUNTY, name_fa="فردیس", name_en="Fardis", parent=alborz_place
    )
    K = Organization.Kind
    national = OrganizationFactory(name="ستاد انتخابات کشور", code="national", kind=K.NATIONAL_HQ)
    alborz = OrganizationFactory(
        name="ستاد انتخابات استان البرز",
        code="alborz",
        kind=K.PROVINCE_HQ,
        parent=national,
        place=alborz_place,
    )
    karaj = OrganizationFactory(
        name="ستاد انتخابات شهرستان کرج", name_en="Karaj County HQ", code="karaj", kind=K.COUNTY_HQ,
        parent=alborz, place=karaj_place,
    )  # fmt: skip
    karaj_info = OrganizationFactory(
        name="کمیته اطلاع‌رسانی کرج", code="karaj-info", kind=K.COMMITTEE, parent=karaj
    )
    karaj_municipality = OrganizationFactory(
        name="شهرداری کرج",
        code="karaj-municipality",
        kind=K.PR_UNIT,
        unit_type="municipality",
        parent=karaj,
    )
    fardis = OrganizationFactory(
        name="ستاد انتخابات شهرستان فردیس",
        code="fardis",
        kind=K.COUNTY_HQ,
        parent=alborz,
        place=fardis_place,
    )
    fardis_info = OrganizationFactory(
        name="کمیته اطلاع‌رسانی فردیس", code="fardis-info", kind=K.COMMITTEE, parent=fardis
    )
    return World(
        national, alborz, karaj, karaj_info, karaj_municipality, fardis, fardis_info,
        alborz_place, karaj_place, fardis_place,
    )  # fmt: skip


@dataclass
class Personas:
    county_editor: User
    county_producer: User
    county_field_agent: User
    county_supervisor: User
    county_admin: User
    county_analyst: User
    county_pr_officer: User
    county_viewer: User
    province_supervisor: User
    outsider: User


def build_personas(world: World) -> Personas:
    return Personas(
        county_editor=member(Role.EDITOR, world.karaj_info, username="karaj.editor"),
        county_producer=member(Role.PRODUCER, world.karaj_info, username="karaj.producer"),
        county_field_agent=member(Role.FIELD_AGENT, world.karaj, username="karaj.field"),
        county_supervisor=member(Role.SUPERVISOR, world.karaj, username="karaj.supervisor"),
        county_admin=member(Role.ADMIN, world.karaj, username="karaj.admin"),
        county_analyst=member(Role.ANALYST, world.karaj_info, username="karaj.analyst"),
        county_pr_officer=member(Role.PR_OFFICER, world.karaj_municipality, username="karaj.pr"),
        county_viewer=member(Role.VIEWER, world.karaj, username="karaj.viewer"),
        province_supervisor=member(Role.SUPERVISOR, world.alborz, username="alborz.supervisor"),
        outsider=member(Role.EDITOR, world.fardis_info, username="fardis.editor"),
    )
