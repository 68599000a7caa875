"""Demo: the 1402 parliamentary election in Karaj, its rules, candidates and ~200 reports.

Candidates are fictional. Rules paraphrase the campaign-advertising chapter of Iran's
parliamentary election law (قانون انتخابات مجلس شورای اسلامی) for the public page.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from didban.accounts.models import User
from didban.compliance import actions
from didban.compliance.models import CampaignPeriod, RuleCategory, Violation
from didban.places.models import Place

TEHRAN = ZoneInfo("Asia/Tehran")
C = RuleCategory

RULES = [
    ("ماده ۶۲", "مهلت قانونی تبلیغات", C.TIME_LIMIT,
     "تبلیغات انتخاباتی نامزدها فقط در مدت یک هفته پیش از روز رأی‌گیری مجاز است و ۲۴ ساعت "
     "پیش از آغاز رأی‌گیری پایان می‌یابد. هر گونه تبلیغ پیش از آغاز این مهلت تخلف است."),
    ("ماده ۶۲ (تبصره)", "سکوت تبلیغاتی", C.SILENCE_PERIOD,
     "از ۲۴ ساعت پیش از آغاز رأی‌گیری تا پایان آن، هر گونه تبلیغ به سود یا زیان نامزدها، "
     "از جمله پخش تراکت، نصب پوستر تازه و ارسال پیام انبوه، ممنوع است."),
    ("ماده ۶۴", "اموال و ساختمان‌های عمومی", C.PUBLIC_PROPERTY,
     "نصب پوستر، بنر و هر نوشته تبلیغاتی بر دیوار و تابلوی ساختمان‌های دولتی، نهادهای عمومی، "
     "علائم راهنمایی و رانندگی و پایه‌های روشنایی معابر ممنوع است."),
    ("ماده ۶۴ (بند الف)", "دیوارنویسی و آسیب به فضای شهری", C.DEFACING,
     "هر گونه دیوارنویسی، چسباندن پوستر بر دیوار منازل و مغازه‌ها بدون اجازه مالک، و آسیب "
     "به درختان و مبلمان شهری برای تبلیغ ممنوع است."),
    ("ماده ۶۵", "اماکن مذهبی", C.RELIGIOUS_PLACES,
     "تبلیغ به سود یا زیان نامزدها در مساجد، حسینیه‌ها، تکایا و دیگر اماکن مذهبی، و نصب "
     "پوستر بر دیوار آنها ممنوع است."),
    ("ماده ۶۶", "امکانات دولتی", C.GOVERNMENT_RESOURCES,
     "استفاده از امکانات وزارتخانه‌ها، شرکت‌های دولتی، شهرداری‌ها و نهادهای عمومی، از جمله "
     "خودرو، ساختمان، تلفن و کارکنان در ساعت اداری، برای تبلیغ نامزدها ممنوع است."),
    ("ماده ۶۶ (تبصره)", "بی‌طرفی کارکنان", C.GOVERNMENT_RESOURCES,
     "کارکنان دستگاه‌های اجرایی در ساعت کار و در محل کار حق تبلیغ برای نامزدها را ندارند."),
    ("ماده ۶۸", "توهین و افترا", C.DEFAMATION,
     "هتک حرمت، توهین، افترا و نشر اکاذیب علیه نامزدها یا دیگران در تبلیغات ممنوع است."),
    ("ماده ۶۹", "شعبه‌های اخذ رأی", C.NEAR_POLLING,
     "هر گونه تبلیغ در محل شعبه‌های اخذ رأی و پیرامون آن در روز رأی‌گیری ممنوع است."),
    ("ماده ۷۰", "جمع‌آوری تبلیغات", C.OTHER,
     "نامزدها موظفند پوسترها و بنرهای خود را پس از پایان مهلت تبلیغات جمع‌آوری کنند؛ "
     "هیئت‌های اجرایی و نظارت بر این امر نظارت دارند."),
]  # fmt: skip

LISTS = ["ائتلاف آبادانی البرز", "جبهه صدای مردم", "فهرست مستقل کرج"]
CANDIDATES = [
    ("بهرام شاه‌محمدی", "1105", 0), ("ناهید کیان‌پور", "1127", 0),
    ("سیدجلال میرباقری", "1243", 0), ("فرشته دلاوری", "1318", 1),
    ("مرتضی اکبرزاده‌نیا", "1356", 1), ("کامران پرتوی", "1422", 1),
    ("زینب خلیلی‌فرد", "1489", 2), ("یدالله سلطانی‌راد", "1501", 2),
    ("مسعود قربان‌پور", "1566", None), ("شیرین آذرمهر", "1630", None),
    ("حمیدرضا نوروزی‌تبار", "1677", None), ("اکبر ملک‌آرا", "1719", None),
]  # fmt: skip

TEXTS = [
    ("پوستر نامزد روی دیوار ساختمان فرمانداری نصب شده است", C.PUBLIC_PROPERTY),
    ("بنر بزرگ نامزد به تیر برق و تابلوی راهنمایی بسته شده", C.PUBLIC_PROPERTY),
    ("دیوارنویسی با اسپری به نفع نامزد روی دیوار مدرسه", C.DEFACING),
    ("پوسترهای زیادی روی درختان بلوار چسبانده شده", C.DEFACING),
    ("پخش تراکت نامزد در حیاط مسجد پس از نماز", C.RELIGIOUS_PLACES),
    ("پوستر نامزد روی دیوار حسینیه محله", C.RELIGIOUS_PLACES),
    ("خودروی اداری شهرداری برای پخش تراکت نامزد استفاده می‌شود", C.GOVERNMENT_RESOURCES),
    ("جلسه تبلیغاتی نامزد در سالن اداره در ساعت کاری", C.GOVERNMENT_RESOURCES),
    ("پخش تراکت نامزد در شب پیش از رأی‌گیری", C.SILENCE_PERIOD),
    ("ارسال پیامک تبلیغاتی در روز سکوت", C.SILENCE_PERIOD),
    ("نصب بنر نامزد دو هفته پیش از شروع تبلیغات", C.TIME_LIMIT),
    ("تراکت حاوی اتهام و توهین به نامزد رقیب", C.DEFAMATION),
    ("پوستر نامزد در ورودی شعبه اخذ رأی", C.NEAR_POLLING),
]


def _local(y, m, d, h=0, mi=0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=TEHRAN)


def load(*, root, orgs) -> None:
    rng = random.Random(1402)  # noqa: S311 - demo data, not secrets
    karaj = orgs["karaj-hq"]
    election = actions.do_create_election(
        actor=root, org=karaj, name="انتخابات دوازدهمین دوره مجلس شورای اسلامی (۱۴۰۲)",
        slug="majlis-1402", election_day=date(2024, 3, 1),
        constituency="حوزه انتخابیه کرج، اشتهارد، فردیس و ساوجبلاغ",
    )  # fmt: skip
    # Voting begins at 08:00 on 11 Esfand; advertising ends 24 hours before.
    actions.do_add_period(
        actor=root, election=election, kind=CampaignPeriod.Kind.ADVERTISING,
        name="مهلت قانونی تبلیغات نامزدها", starts_at=_local(2024, 2, 22, 8),
        ends_at=_local(2024, 2, 29, 8),
    )  # fmt: skip
    actions.do_add_period(
        actor=root, election=election, kind=CampaignPeriod.Kind.SILENCE,
        name="سکوت تبلیغاتی", starts_at=_local(2024, 2, 29, 8), ends_at=_local(2024, 3, 2, 0),
    )  # fmt: skip
    for order, (article, title, category, text) in enumerate(RULES):
        actions.do_save_rule(
            actor=root, election=election, article=article, title=title, text=text,
            category=category, order=order,
        )  # fmt: skip
    lists = [actions.do_add_candidate_list(actor=root, election=election, name=n) for n in LISTS]
    candidates = [
        actions.do_add_candidate(
            actor=root,
            election=election,
            name=name,
            code=code,
            candidate_list=lists[i] if i is not None else None,
        )
        for name, code, i in CANDIDATES
    ]
    karaj_place = Place.objects.filter(code="3001").first()
    places = list(
        Place.objects.filter(path__startswith=karaj_place.path).exclude(pk=karaj_place.pk)[:40]
        if karaj_place
        else []
    )
    agent = User.objects.get(username="karaj.field")
    supervisor = User.objects.get(username="karaj.supervisor")
    citizen_names = ["", "", "علی م.", "", "مریم ک.", "", "حسین ر."]
    reports = []
    for n in range(200):
        text, category = TEXTS[n % len(TEXTS)]
        day = (
            rng.choice([13, 16, 19, 22, 23, 24, 25, 26, 27, 28, 29])
            if category != C.SILENCE_PERIOD
            else 29
        )
        seen = _local(2024, 2, day, rng.randint(8, 22), rng.choice([0, 15, 30, 45]))
        if category == C.TIME_LIMIT:
            seen = _local(2024, 2, rng.randint(8, 18), 11)
        place = rng.choice(places) if places else None
        candidate = rng.choice(candidates) if rng.random() < 0.8 else None
        if n % 3:
            violation, _ = actions.do_submit_field_violation(
                actor=agent, election=election, client_uuid=uuid.uuid4(), description=text,
                rule_category=category if rng.random() < 0.6 else "", candidate=candidate,
                place=place, observed_at=seen,
                latitude=place.latitude if place and place.latitude else None,
                longitude=place.longitude if place and place.longitude else None,
                accuracy_m=rng.randint(5, 40),
            )  # fmt: skip
        else:
            name = rng.choice(citizen_names)
            violation = actions.do_submit_citizen_violation(
                election=election, description=text, candidate=candidate, place=place,
                observed_at=seen, citizen_name=name,
                citizen_phone=f"0912{rng.randint(1000000, 9999999)}" if name else "",
            )  # fmt: skip
        Violation.objects.filter(pk=violation.pk).update(created_at=seen + timedelta(minutes=20))
        reports.append((violation, category))
    # Move a share of them along the case flow, through the actions.
    for i, (violation, category) in enumerate(reports):
        stage = i % 7
        if stage == 0:
            continue
        v = actions.do_transition_violation(
            actor=supervisor, violation=violation, action="categorise", category=category
        )
        if stage == 1:
            continue
        if stage == 6:
            actions.do_transition_violation(
                actor=supervisor, violation=v, action="dismiss",
                reason="تکراری یا خارج از حوزه انتخابیه",
            )  # fmt: skip
            continue
        v = actions.do_transition_violation(actor=supervisor, violation=v, action="verify")
        if stage == 2:
            actions.do_release_violation(actor=supervisor, violation=v)
            continue
        board = Violation.Board.SUPERVISORY if i % 2 else Violation.Board.EXECUTIVE
        v = actions.do_transition_violation(
            actor=supervisor, violation=v, action="refer", board=board,
            deadline=timezone.now() + timedelta(days=rng.randint(1, 5)),
            reason="برای برخورد و جمع‌آوری",
        )  # fmt: skip
        if stage == 5:
            actions.do_transition_violation(
                actor=supervisor, violation=v, action="resolve",
                reason="تبلیغات جمع‌آوری شد و به نامزد تذکر داده شد",
            )  # fmt: skip
        elif stage == 4 and i % 3 == 0:
            # A referral whose deadline has passed, so the desk shows overdue work.
            Violation.objects.filter(pk=v.pk).update(
                referral_deadline=timezone.now() - timedelta(days=1)
            )
