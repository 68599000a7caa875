"""Demo: Karaj's display campaigns of 1402 — 155 designs, 130+ sites in the city, its satellite
towns and villages, the Dey, Bahman and Esfand windows with placements in every state and the
field agent's check-ins; and Fardis using Karaj's shared pilot designs (C9)."""

from __future__ import annotations

import io
import random
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from didban.accounts.models import User
from didban.field import actions
from didban.field.models import Site
from didban.lib.jalali import jalali_month_range
from didban.places.models import Place

TEHRAN = ZoneInfo("Asia/Tehran")

THEMES = [
    ("مشارکت حداکثری", "جشن ملی انتخابات"),
    ("حضور خانوادگی پای صندوق", "جشن ملی انتخابات"),
    ("دهه فجر و انتخابات", "دهه فجر"),
    ("رأی اولی‌ها", "جشن ملی انتخابات"),
    ("امنیت و سلامت انتخابات", "روز انتخابات"),
    ("عید انقلاب", "۲۲ بهمن"),
    ("آگاهی از قانون تبلیغات", "ستاد انتخابات"),
]
TITLES = ["پوستر", "بیلبورد", "بنر", "تلویزیون شهری", "عکس‌نوشته", "طرح دیواری"]
KIND_BY_TITLE = {"بیلبورد": Site.Kind.BILLBOARD, "بنر": Site.Kind.BANNER}
STREETS = ["بلوار جمهوری", "میدان آزادی", "بلوار طالقانی", "خیابان بهشتی", "میدان شهدا",
           "بلوار موذن", "چهارراه طالقانی", "بلوار دانش‌آموز", "میدان توحید", "بلوار ارم"]  # fmt: skip
SITE_KINDS = [Site.Kind.BILLBOARD, Site.Kind.SCREEN, Site.Kind.BANNER, Site.Kind.BUS_SHELTER,
              Site.Kind.WALL, Site.Kind.OTHER]  # fmt: skip
KIND_NAMES = {Site.Kind.BILLBOARD: "بیلبورد", Site.Kind.SCREEN: "تلویزیون شهری",
              Site.Kind.BANNER: "بنر", Site.Kind.BUS_SHELTER: "ایستگاه اتوبوس",
              Site.Kind.WALL: "دیوارنگاره", Site.Kind.OTHER: "سازه"}  # fmt: skip


def artwork(seed: int) -> SimpleUploadedFile:
    """A small poster-like image: coloured bands and a ballot box, different for each design."""
    rnd = random.Random(seed)  # noqa: S311 - demo pictures, not secrets
    img = Image.new(
        "RGB", (360, 240), (rnd.randrange(40, 220), rnd.randrange(40, 220), rnd.randrange(40, 220))
    )
    draw = ImageDraw.Draw(img)
    for i in range(4):
        colour = (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256))
        draw.rectangle([0, 40 + i * 45, 360, 60 + i * 45], fill=colour)
    draw.rectangle([140, 80, 220, 170], outline="white", width=6)
    draw.rectangle([165, 65, 195, 90], fill="white")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"design-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def photo(taken: datetime, seed: int) -> SimpleUploadedFile:
    img = Image.new("RGB", (96, 72), (seed * 37 % 255, seed * 91 % 255, 160))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = taken.astimezone(TEHRAN).strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(0x8769)[36881] = "+03:30"
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def _coords(
    rnd: random.Random, place: Place, spread: float
) -> tuple[Decimal | None, Decimal | None]:
    node = place
    while node is not None and not node.has_coordinates:
        node = node.parent
        spread *= 3  # a village without coordinates: near its county's centre, more loosely
    if node is None:
        return None, None
    lat = float(node.latitude) + rnd.uniform(-spread, spread)
    lon = float(node.longitude) + rnd.uniform(-spread, spread)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def _sites(rnd, editor, org, places: list[tuple[Place, int, float]]) -> list[Site]:
    sites = []
    n = 0
    for place, count, spread in places:
        for _ in range(count):
            n += 1
            kind = (
                SITE_KINDS[n % len(SITE_KINDS)]
                if place.kind != Place.Kind.VILLAGE
                else Site.Kind.WALL
            )
            lat, lon = _coords(rnd, place, spread)
            street = (
                STREETS[n % len(STREETS)] if place.kind != Place.Kind.VILLAGE else "ورودی روستا"
            )
            sites.append(
                actions.do_create_site(
                    actor=editor,
                    org=org,
                    code=f"{org.code.split('-')[0][:3].upper()}-{n:03d}",
                    name=f"{KIND_NAMES[kind]} {street} {place.name_fa}",
                    kind=kind,
                    place=place,
                    latitude=lat,
                    longitude=lon,
                    address=f"{place.name_fa}، {street}",
                    size=rnd.choice(["۳×۶ متر", "۴×۸ متر", "۲×۳ متر", "۱٫۵×۳ متر"]),
                    owner_text=rnd.choice(["شهرداری", "دهیاری", "بخش خصوصی", "اداره راه"]),
                )
            )
    return sites


# How far each window got: (state path) weights.
PATHS = {
    "dey": [(["installed", "verified"], 5), (["installed", "verified", "removed"], 3),
            (["installed", "damaged", "replaced", "verified"], 1), (["installed"], 1)],
    "bahman": [(["installed", "verified"], 4), (["dispatched", "installed"], 2),
               (["installed", "damaged"], 1), (["installed", "verified", "verified"], 2),
               ([], 1), (["installed", "removed"], 1)],
    "esfand": [([], 4), (["dispatched"], 2), (["installed"], 2), (["installed", "verified"], 1),
               (["installed", "damaged", "replaced"], 1)],
}  # fmt: skip


def _walk(rnd, agent, placement, path, window, seed):
    day = window.starts_on + timedelta(days=rnd.randrange(0, 3))
    when = datetime.combine(day, time(9, 0), tzinfo=TEHRAN) + timedelta(
        minutes=rnd.randrange(0, 480)
    )
    site = placement.site
    for step, state in enumerate(path):
        lat, lon = site.latitude, site.longitude
        taken = when - timedelta(minutes=rnd.randrange(1, 10))
        if lat is not None and rnd.random() < 0.05:  # a few check-ins far from the site
            lat = lat + Decimal("0.01")
        if rnd.random() < 0.03:  # a few old photos
            taken = when - timedelta(days=3)
        actions.do_record_checkin(
            actor=agent, placement=placement, client_uuid=uuid.uuid4(), to_state=state,
            client_time=when, latitude=lat, longitude=lon, accuracy_m=rnd.choice([6.0, 12.0, 25.0]),
            note="", photo=None if state == "dispatched" else photo(taken, seed + step),
        )  # fmt: skip
        when += timedelta(days=rnd.randrange(1, 6), minutes=rnd.randrange(0, 120))
        if when.date() > window.ends_on:
            break


def load(*, root, orgs) -> None:
    rnd = random.Random(1402)  # noqa: S311 - a repeatable demo
    editor = User.objects.get(username="karaj.editor")
    supervisor = User.objects.get(username="karaj.supervisor")
    producer = User.objects.get(username="karaj.producer")
    agent = User.objects.get(username="karaj.field")
    info = orgs["karaj-info"]

    # The newsroom's occasions of Karaj's branch (the newsroom demo loads first): designs whose
    # occasion is on the calendar are linked to it.
    from didban.newsroom.models import Occasion

    calendar = {
        o.name: o
        for o in Occasion.objects.select_related("org")
        if info.path.startswith(o.org.path) or o.org.path.startswith(info.path)
    }
    designs = []
    for i in range(155):
        theme, occasion = THEMES[i % len(THEMES)]
        kind = TITLES[i % len(TITLES)]
        design = actions.do_create_design(
            actor=producer if i % 2 else editor, org=info, title=f"{kind} «{theme}» شماره {i + 1}",
            theme=theme, occasion=occasion, linked_occasion=calendar.get(occasion),
            upload=artwork(i),
        )  # fmt: skip
        if i % 10 == 9:
            actions.do_add_design_version(
                actor=producer, design=design, upload=artwork(1000 + i), note="اصلاح رنگ و لوگو"
            )
        if i % 13 == 12:
            continue  # awaiting approval
        if i % 29 == 28:
            actions.do_review_design(
                actor=supervisor,
                design=design,
                approve=False,
                note="متن طرح با دستورالعمل هم‌خوان نیست",
            )
            continue
        actions.do_review_design(actor=supervisor, design=design, approve=True)
        if i < 24:
            actions.do_share_design(actor=supervisor, design=design, shared=True)  # Karaj's pilots
        designs.append(design)

    karaj = Place.objects.get(code="3001")
    city = Place.objects.filter(path__startswith=karaj.path, kind=Place.Kind.CITY).first()
    towns = list(Place.objects.filter(path__startswith=karaj.path, kind=Place.Kind.SATELLITE_TOWN))
    villages = list(
        Place.objects.filter(path__startswith=karaj.path, kind=Place.Kind.VILLAGE).order_by("code")[
            :200
        ]
    )
    rnd.shuffle(villages)
    plan = (
        [(city, 60, 0.04)] + [(t, 8, 0.012) for t in towns] + [(v, 1, 0.01) for v in villages[:32]]
    )
    sites = _sites(rnd, editor, info, plan)

    months = {"dey": ("دی ۱۴۰۲", 10, "دهه فجر و مشارکت"), "bahman": ("بهمن ۱۴۰۲", 11, "دهه فجر"),
              "esfand": ("اسفند ۱۴۰۲", 12, "جشن ملی انتخابات")}  # fmt: skip
    seed = 0
    for key, (name, month, occasion) in months.items():
        starts, ends = jalali_month_range(1402, month)
        window = actions.do_create_window(
            actor=editor, org=info, name=name, starts_on=starts, ends_on=ends,
            occasion=occasion, target=130, recheck_days=7,
        )  # fmt: skip
        chosen = rnd.sample(sites, 120)
        placements = [
            actions.do_create_placement(
                actor=editor, window=window, site=s, design=rnd.choice(designs)
            )
            for s in chosen
        ]
        actions.do_plan_window(actor=editor, window=window)
        paths, weights = zip(*PATHS[key], strict=True)
        for placement in placements:
            seed += 1
            _walk(rnd, agent, placement, rnd.choices(paths, weights)[0], window, seed)

    # Fardis uses Karaj's shared pilot designs in its own towns (C9).
    fardis_editor = User.objects.filter(username="fardis.editor").first()
    fardis_info = orgs.get("fardis-info")
    fardis = Place.objects.filter(code="3006").first()
    if fardis_editor and fardis_info and fardis:
        fardis_places = list(
            Place.objects.filter(
                path__startswith=fardis.path, kind__in=[Place.Kind.CITY, Place.Kind.SATELLITE_TOWN]
            )
        )
        fardis_sites = _sites(
            rnd, fardis_editor, fardis_info, [(p, 4, 0.01) for p in fardis_places[:4]]
        )
        starts, ends = jalali_month_range(1402, 12)
        window = actions.do_create_window(
            actor=fardis_editor,
            org=fardis_info,
            name="اسفند ۱۴۰۲ فردیس",
            starts_on=starts,
            ends_on=ends,
        )
        shared = [d for d in designs if d.is_shared]
        for s in fardis_sites:
            actions.do_create_placement(
                actor=fardis_editor, window=window, site=s, design=rnd.choice(shared)
            )
        actions.do_plan_window(actor=fardis_editor, window=window)
