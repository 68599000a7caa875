"""The newsroom's part of the demo: seven months of the Karaj information committee before
the 1402 parliamentary election (11 Esfand 1402 = 1 March 2024).

Everything goes through the actions (so the audit log and the publishing signals are real);
afterwards the timestamps are moved back to the day each item belongs to, since the actions
stamp "now".
"""

from __future__ import annotations

import io
import random
from datetime import UTC, date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from didban.accounts.models import User
from didban.newsroom import actions
from didban.newsroom.models import Item

START = datetime(2023, 8, 23, 5, 0, tzinfo=UTC)  # 1 Shahrivar 1402
ELECTION = datetime(2024, 3, 1, 4, 30, tzinfo=UTC)  # 11 Esfand 1402, 08:00 Tehran
END = datetime(2024, 3, 18, 12, 0, tzinfo=UTC)  # 28 Esfand 1402

SUBJECTS = [
    "فرماندار کرج", "رئیس کمیته اطلاع‌رسانی ستاد انتخابات", "هیئت اجرایی انتخابات شهرستان",
    "دبیر ستاد انتخابات کرج", "معاون سیاسی فرمانداری", "شهردار کرج", "رئیس هیئت نظارت شهرستان",
]  # fmt: skip
NEWS = [
    "{s}: آمادگی کامل برای برگزاری انتخاباتی سالم و پرشور",
    "{s} بر ضرورت اطلاع‌رسانی به‌موقع به شهروندان تأکید کرد",
    "نشست هماهنگی روابط عمومی‌های دستگاه‌های اجرایی با حضور {s}",
    "{s}: شعب اخذ رأی در شهرهای اقماری افزایش می‌یابد",
    "بازدید {s} از ستاد اجرایی انتخابات در {p}",
    "{s}: آموزش عوامل اجرایی شعب آغاز شد",
    "تشریح آخرین وضعیت آمادگی حوزه انتخابیه کرج و اشتهارد توسط {s}",
]
ANNOUNCEMENTS = [
    "اطلاعیه شماره {n} ستاد انتخابات شهرستان کرج درباره {t}",
    "اطلاعیه ستاد انتخابات: {t}",
]
TOPICS = [
    "زمان و مکان ثبت‌نام داوطلبان", "مدارک لازم برای ثبت‌نام", "ضوابط تبلیغات انتخاباتی",
    "ممنوعیت نصب پوستر بر اموال عمومی", "فهرست شعب اخذ رأی", "ساعت آغاز رأی‌گیری",
    "تمدید زمان رأی‌گیری", "نحوه احراز هویت رأی‌دهندگان", "مراکز پاسخ‌گویی به پرسش‌های انتخاباتی",
]  # fmt: skip
PLACES = ["کرج", "محمدشهر", "ماهدشت", "مشکین‌دشت", "کمالشهر", "گرمدره", "آسارا", "روستای سرحد"]
VISUALS = {
    "video": "ویدئو: {t}",
    "photo_caption": "عکس‌نوشته: {t}",
    "news_report": "گزارش خبری: {t}",
    "motion_graphic": "موشن‌گرافی: {t}",
    "poster": "پوستر: {t}",
    "infographic": "اینفوگرافی: {t}",
}
VISUAL_TOPICS = [
    "حضور پرشور مردم در جشن ملی انتخابات", "گام‌به‌گام تا صندوق رأی", "دهه فجر و مشارکت حداکثری",
    "صدای تو، آینده ما", "آمار شعب اخذ رأی شهرستان کرج", "چگونه رأی بدهیم؟",
    "روایت یک روز از اتاق فرمان اطلاع‌رسانی", "رأی اولی‌ها", "انتخابات در روستاهای کرج",
]  # fmt: skip
BODY = (
    "<p>به گزارش روابط عمومی ستاد انتخابات شهرستان کرج، {lead}</p>"
    "<p>وی افزود: همه دستگاه‌های اجرایی و روابط عمومی‌ها موظف‌اند اخبار و اطلاعیه‌های انتخاباتی را "
    "بلافاصله پس از انتشار در کانال‌های رسمی، بازنشر کنند.</p>"
    "<p>گفتنی است انتخابات دوازدهمین دوره مجلس شورای اسلامی و ششمین دوره مجلس خبرگان رهبری "
    "روز جمعه ۱۱ اسفند ۱۴۰۲ برگزار می‌شود.</p>"
)


def _image(color: tuple[int, int, int], label: int) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 540), color)
    draw = ImageDraw.Draw(image)
    for i in range(0, 960, 60):
        draw.line([(i, 0), (i + 300, 540)], fill=(255, 255, 255), width=3)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{label}.jpg", out.getvalue(), content_type="image/jpeg")


def load(*, root, orgs) -> None:
    # One transaction: the actions' own transactions become savepoints (fast on SQLite), and the
    # publishing signals go out once the whole season is in.
    with transaction.atomic():
        _load(root=root, orgs=orgs)


def _load(*, root, orgs) -> None:
    info = orgs.get("karaj-info")
    if info is None:
        return
    rng = random.Random(1402)  # noqa: S311 - repeatable demo data
    editor = User.objects.filter(username="karaj.editor").first() or root
    producer = User.objects.filter(username="karaj.producer").first() or root
    pr_officer = User.objects.filter(username="karaj.pr").first()
    municipality = orgs.get("karaj-municipality")

    def occasion(name, start, end, description=""):
        return actions.do_create_occasion(
            actor=root, org=info, name=name, starts_on=start, ends_on=end, description=description
        )

    registration = occasion(
        "ثبت‌نام داوطلبان", date(2023, 10, 11), date(2023, 10, 17),
        "ثبت‌نام داوطلبان نمایندگی مجلس، ۱۹ تا ۲۵ مهر ۱۴۰۲",
    )  # fmt: skip
    fajr = occasion("دهه فجر", date(2024, 2, 1), date(2024, 2, 11), "۱۲ تا ۲۲ بهمن")
    campaign = occasion(
        "تبلیغات انتخاباتی", date(2024, 2, 21), date(2024, 2, 29), "دوره رسمی تبلیغات نامزدها"
    )
    election_day = occasion("روز انتخابات", date(2024, 3, 1), date(2024, 3, 1), "جشن ملی انتخابات")
    occasions = [
        (registration, date(2023, 9, 20), date(2023, 10, 31)),
        (fajr, date(2024, 1, 25), date(2024, 2, 12)),
        (campaign, date(2024, 2, 13), date(2024, 2, 29)),
        (election_day, date(2024, 3, 1), date(2024, 3, 2)),
    ]

    press = actions.do_create_event(
        actor=root, org=info, kind="press_conference", title="اولین نشست خبری انتخاباتی",
        starts_at=datetime(2023, 11, 14, 6, 30, tzinfo=UTC), venue="سالن اجتماعات فرمانداری کرج",
        expected_attendance=60, actual_attendance=72, occasion=None,
    )  # fmt: skip
    conf1 = actions.do_create_event(
        actor=root, org=info, kind="conference", title="همایش بزرگ روابط عمومی‌ها و فعالان رسانه‌ای",
        starts_at=datetime(2024, 1, 18, 6, 0, tzinfo=UTC), venue="سالن همایش‌های دانشگاه خوارزمی",
        expected_attendance=1500, actual_attendance=1640,
    )  # fmt: skip
    conf2 = actions.do_create_event(
        actor=root, org=info, kind="conference", title="همایش مشارکت حداکثری در دهه فجر",
        starts_at=datetime(2024, 2, 6, 6, 0, tzinfo=UTC), venue="ورزشگاه انقلاب کرج",
        expected_attendance=2000, actual_attendance=1850, occasion=fajr,
    )  # fmt: skip
    briefing = actions.do_create_event(
        actor=root, org=info, kind="meeting", title="جلسه توجیهی روابط عمومی شهرداری‌ها",
        starts_at=datetime(2024, 2, 25, 9, 0, tzinfo=UTC), venue="شهرداری کرج",
        expected_attendance=40,
    )  # fmt: skip
    events = [press, conf1, conf2, briefing]
    for event in events:
        for kind, hours in (("news", 3), ("photo_caption", 2), ("video", 24)):
            assignment = actions.do_assign_coverage(
                actor=root, event=event, person=producer, deliverable=kind,
                deadline=event.starts_at + timedelta(hours=hours),
            )  # fmt: skip
            if event is not briefing:
                actions.do_complete_coverage(actor=root, assignment=assignment)

    actions.do_create_template(
        actor=editor, org=info, name="اطلاعیه استاندارد ستاد", kind="announcement",
        title="اطلاعیه شماره … ستاد انتخابات شهرستان کرج",
        body="<p>بسمه تعالی</p><p>به اطلاع شهروندان گرامی می‌رساند …</p><p>ستاد انتخابات شهرستان کرج</p>",
        shared_with_province=True,
    )  # fmt: skip
    actions.do_create_template(
        actor=editor, org=info, name="عکس‌نوشته روز انتخابات", kind="photo_caption",
        title="عکس‌نوشته | …", body="<p>…</p><p>#انتخابات_۱۴۰۲ #کرج</p>", shared_with_province=True,
    )  # fmt: skip
    actions.do_create_template(
        actor=editor, org=info, name="خبر نشست", kind="news", title="نشست … با حضور …",
        body=BODY.format(lead="نشست … برگزار شد."),
    )  # fmt: skip

    images = []
    for n, color in enumerate([(30, 90, 160), (160, 40, 50), (30, 130, 80), (200, 140, 20)]):
        asset, _ = actions.do_upload_asset(actor=producer, org=info, upload=_image(color, n))
        images.append(asset)

    kinds = (
        ["news"] * 45 + ["announcement"] * 15 + ["photo_caption"] * 12 + ["video"] * 8
        + ["news_report"] * 7 + ["poster"] * 6 + ["motion_graphic"] * 4 + ["infographic"] * 3
    )  # fmt: skip
    span = (END - START).total_seconds()
    announcement_no = 0
    timeline = []
    for _n in range(320):
        # More items closer to election day.
        fraction = rng.random() ** 0.6
        when = START + timedelta(seconds=span * fraction)
        when = when.replace(hour=rng.randint(4, 16), minute=rng.choice([0, 10, 15, 30, 45]))
        timeline.append(when)
    timeline.sort()
    created = []
    for n, when in enumerate(timeline):
        kind = rng.choice(kinds)
        if kind == "news":
            title = rng.choice(NEWS).format(s=rng.choice(SUBJECTS), p=rng.choice(PLACES))
        elif kind == "announcement":
            announcement_no += 1
            title = rng.choice(ANNOUNCEMENTS).format(n=announcement_no, t=rng.choice(TOPICS))
        else:
            title = VISUALS[kind].format(t=rng.choice(VISUAL_TOPICS))
        occ = next((o for o, lo, hi in occasions if lo <= when.date() <= hi), None)
        event = next(
            (e for e in events if abs((e.starts_at - when).total_seconds()) < 86400 * 1.5), None
        )
        author, org = producer, info
        if pr_officer and municipality and n % 9 == 0:
            author, org = pr_officer, municipality
        lead = f"{title.split(':')[-1].strip()} در {rng.choice(PLACES)} اعلام شد."
        item = actions.do_create_item(
            actor=author, org=org, kind=kind, title=title, lead=lead, body=BODY.format(lead=lead),
            tags=["انتخابات ۱۴۰۲", "کرج"] + (["دهه فجر"] if occ is fajr else []),
            occasion=occ if org == info else None, event=event if org == info else None,
            unit=org, assignee=producer if org == info else None,
            due_at=when, now=when - timedelta(hours=6),
        )  # fmt: skip
        if (
            org == info
            and kind in ("photo_caption", "poster", "news", "infographic")
            and n % 3 == 0
        ):
            actions.do_attach_asset(actor=author, item=item, asset=images[n % len(images)])
        created.append((item, when))

    # Most go through the whole workflow; the last few stay in the pipeline.
    for index, (item, when) in enumerate(created):
        remaining = len(created) - index
        if remaining <= 6:
            continue  # drafts
        actions.do_submit_item(actor=item.author, item=item)
        if remaining <= 12:
            continue  # awaiting review
        approver = editor if item.org_id == info.pk else root
        actions.do_approve_item(actor=approver, item=item)
        if remaining <= 15:
            continue  # approved, not yet out
        actions.do_publish_item(actor=approver, item=item)
        Item.objects.filter(pk=item.pk).update(published_at=when, updated_at=when)
    # A correction and a retraction, as happen in a real season.
    published = [i for i, _w in created if i.org_id == info.pk][:40]
    if len(published) > 30:
        first = Item.objects.get(pk=published[10].pk)
        actions.do_correct_item(
            actor=editor, item=first, note="ساعت برگزاری نشست اصلاح شد.",
            lead=first.lead + " (ساعت ۱۰ صبح)",
        )  # fmt: skip
        actions.do_retract_item(
            actor=editor, item=Item.objects.get(pk=published[20].pk),
            reason="این اطلاعیه به دلیل تغییر زمان‌بندی ستاد کشور لغو شد.",
        )  # fmt: skip
