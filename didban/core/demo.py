"""The demo scenario: Karaj county's election HQ inside Alborz province, with a person per role.

Everything is created through the actions, so the demo's audit log is real. Later
capabilities extend `load_demo` with their own data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from didban.accounts import actions
from didban.accounts.models import Organization, User
from didban.core import audit
from didban.core.hooks import app_modules
from didban.core.roles import Role
from didban.places.actions import do_import_bundled_places
from didban.places.models import Place

DEMO_PASSWORD = "didban-demo-1402"  # noqa: S105 - printed for the demo on purpose


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    org: str


# username, first name, last name, role, organisation code, job title
PEOPLE = [
    ("karaj.admin", "مهدی", "رضایی", Role.ADMIN, "karaj-hq", "مسئول فناوری اطلاعات ستاد"),
    (
        "karaj.supervisor",
        "حمید",
        "صالحی",
        Role.SUPERVISOR,
        "karaj-hq",
        "فرماندار و رئیس ستاد انتخابات",
    ),
    ("karaj.editor", "زهرا", "محمدی", Role.EDITOR, "karaj-info", "دبیر خبر کمیته اطلاع‌رسانی"),
    ("karaj.producer", "سارا", "احمدی", Role.PRODUCER, "karaj-info", "تولیدکننده محتوا"),
    ("karaj.analyst", "رضا", "کریمی", Role.ANALYST, "karaj-info", "کارشناس رصد رسانه"),
    ("karaj.field", "محسن", "حسینی", Role.FIELD_AGENT, "karaj-hq", "مسئول تیم میدانی اکران"),
    ("karaj.pr", "مریم", "رحیمی", Role.PR_OFFICER, "karaj-municipality", "مدیر روابط عمومی"),
    ("karaj.viewer", "امیر", "نوری", Role.VIEWER, "karaj-hq", "عضو ستاد"),
    (
        "alborz.supervisor",
        "محمدرضا",
        "جعفری",
        Role.SUPERVISOR,
        "alborz-hq",
        "معاون سیاسی استانداری",
    ),
    ("fardis.editor", "نرگس", "موسوی", Role.EDITOR, "fardis-info", "دبیر خبر فردیس"),
]

# Karaj's PR units: municipalities of the city and its satellite towns, agencies, broadcaster.
KARAJ_UNITS = [
    ("karaj-municipality", "شهرداری کرج", "Karaj Municipality", "municipality", "3001011590"),
    (
        "mohammadshahr-municipality",
        "شهرداری محمدشهر",
        "Mohammadshahr Municipality",
        "municipality",
        "3001012273",
    ),
    (
        "mahdasht-municipality",
        "شهرداری ماهدشت",
        "Mahdasht Municipality",
        "municipality",
        "3001012118",
    ),
    (
        "kamalshahr-municipality",
        "شهرداری کمال‌شهر",
        "Kamalshahr Municipality",
        "municipality",
        "3001012272",
    ),
    (
        "garmdareh-municipality",
        "شهرداری گرمدره",
        "Garmdareh Municipality",
        "municipality",
        "3001012635",
    ),
    ("asara-municipality", "شهرداری آسارا", "Asara Municipality", "municipality", "3001032070"),
    (
        "karaj-education-1",
        "آموزش و پرورش ناحیه ۱ کرج",
        "Karaj Education District 1",
        "agency",
        None,
    ),
    (
        "karaj-education-2",
        "آموزش و پرورش ناحیه ۲ کرج",
        "Karaj Education District 2",
        "agency",
        None,
    ),
    (
        "karaj-education-3",
        "آموزش و پرورش ناحیه ۳ کرج",
        "Karaj Education District 3",
        "agency",
        None,
    ),
    ("karaj-health", "شبکه بهداشت و درمان کرج", "Karaj Health Network", "agency", None),
    (
        "karaj-culture",
        "اداره فرهنگ و ارشاد اسلامی کرج",
        "Karaj Culture and Guidance Office",
        "agency",
        None,
    ),
    ("karaj-sport", "اداره ورزش و جوانان کرج", "Karaj Sports and Youth Office", "agency", None),
    (
        "karaj-islamic-propagation",
        "اداره تبلیغات اسلامی کرج",
        "Karaj Islamic Propagation Office",
        "agency",
        None,
    ),
    ("karaj-water", "شرکت آب و فاضلاب کرج", "Karaj Water and Wastewater Company", "agency", None),
    ("karaj-electricity", "شرکت توزیع برق کرج", "Karaj Electricity Distribution", "agency", None),
    ("karaj-gas", "اداره گاز کرج", "Karaj Gas Office", "agency", None),
    ("karaj-traffic-police", "پلیس راهور کرج", "Karaj Traffic Police", "agency", None),
    ("karaj-welfare", "اداره بهزیستی کرج", "Karaj Welfare Office", "agency", None),
    ("karaj-relief", "کمیته امداد کرج", "Karaj Relief Committee", "agency", None),
    ("karaj-civil-registry", "اداره ثبت احوال کرج", "Karaj Civil Registry", "agency", None),
    ("karaj-heritage", "اداره میراث فرهنگی کرج", "Karaj Cultural Heritage Office", "agency", None),
    ("kharazmi-university", "دانشگاه خوارزمی", "Kharazmi University", "university", None),
]


def _place(code: str | None) -> Place | None:
    return Place.objects.filter(code=code).first() if code else None


def demo_is_loaded() -> bool:
    return Organization.objects.filter(code="karaj-hq").exists()


def load_demo() -> list[DemoLogin]:
    """Load the scenario into an empty database. Returns the logins it created."""
    with transaction.atomic():
        root = User.objects.create_superuser(
            "sysadmin", password=DEMO_PASSWORD, first_name="مدیر", last_name="سامانه"
        )
        audit.record(actor=root, verb="user.bootstrap", obj=root, after={"username": root.username})
    do_import_bundled_places(actor=root)

    def org(code, name, name_en, kind, parent, place=None, unit_type=""):
        return actions.do_create_organization(
            actor=root, kind=kind, name=name, name_en=name_en, code=code, parent=parent,
            place=_place(place), unit_type=unit_type,
        )  # fmt: skip

    K = Organization.Kind
    national = org("national-hq", "ستاد انتخابات کشور", "National Election HQ", K.NATIONAL_HQ, None)
    alborz = org(
        "alborz-hq",
        "ستاد انتخابات استان البرز",
        "Alborz Province Election HQ",
        K.PROVINCE_HQ,
        national,
        "30",
    )
    org(
        "alborz-info",
        "کمیته اطلاع‌رسانی ستاد انتخابات استان البرز",
        "Alborz Information Committee",
        K.COMMITTEE,
        alborz,
        "30",
    )
    org(
        "alborz-broadcaster",
        "صدا و سیمای مرکز البرز",
        "IRIB Alborz Centre",
        K.PR_UNIT,
        alborz,
        "30",
        "broadcaster",
    )
    karaj = org(
        "karaj-hq",
        "ستاد انتخابات شهرستان کرج (فرمانداری کرج)",
        "Karaj County Election HQ",
        K.COUNTY_HQ,
        alborz,
        "3001",
    )
    org(
        "karaj-info",
        "کمیته اطلاع‌رسانی ستاد انتخابات کرج",
        "Karaj Information Committee",
        K.COMMITTEE,
        karaj,
        "3001",
    )
    org(
        "karaj-security",
        "کمیته امنیت ستاد انتخابات کرج",
        "Karaj Security Committee",
        K.COMMITTEE,
        karaj,
        "3001",
    )
    org(
        "karaj-logistics",
        "کمیته پشتیبانی ستاد انتخابات کرج",
        "Karaj Logistics Committee",
        K.COMMITTEE,
        karaj,
        "3001",
    )
    for code, name, name_en, unit_type, place in KARAJ_UNITS:
        org(code, name, name_en, K.PR_UNIT, karaj, place or "3001", unit_type)
    counties = [
        ("fardis", "فردیس", "Fardis", "3006"),
        ("savojbolagh", "ساوجبلاغ", "Savojbolagh", "3002"),
        ("nazarabad", "نظرآباد", "Nazarabad", "3003"),
        ("taleqan", "طالقان", "Taleqan", "3004"),
        ("eshtehard", "اشتهارد", "Eshtehard", "3005"),
    ]
    for slug, name, name_en, place in counties:
        hq = org(
            f"{slug}-hq",
            f"ستاد انتخابات شهرستان {name}",
            f"{name_en} County Election HQ",
            K.COUNTY_HQ,
            alborz,
            place,
        )
        org(
            f"{slug}-info",
            f"کمیته اطلاع‌رسانی ستاد انتخابات {name}",
            f"{name_en} Information Committee",
            K.COMMITTEE,
            hq,
            place,
        )
        org(
            f"{slug}-municipality",
            f"شهرداری {name}",
            f"{name_en} Municipality",
            K.PR_UNIT,
            hq,
            place,
            "municipality",
        )

    logins = [DemoLogin("sysadmin", "superuser", national.name)]
    orgs = {o.code: o for o in Organization.objects.all()}
    for username, first, last, role, org_code, title in PEOPLE:
        actions.do_create_user(
            actor=root, org=orgs[org_code], role=role, username=username, password=DEMO_PASSWORD,
            first_name=first, last_name=last, title=title,
        )  # fmt: skip
        logins.append(DemoLogin(username, role, orgs[org_code].name))
    # Each domain app adds its part of the scenario (core/hooks.py).
    for module in app_modules("demo"):
        if module.__name__ != __name__:
            module.load(root=root, orgs=orgs)
    return logins


def demo_logins() -> list[DemoLogin]:
    logins = [DemoLogin("sysadmin", "superuser", "ستاد انتخابات کشور")]
    orgs = dict(Organization.objects.values_list("code", "name"))
    for username, _first, _last, role, org_code, _title in PEOPLE:
        logins.append(DemoLogin(username, role, orgs.get(org_code, "")))
    return logins
