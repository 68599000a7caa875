"""Generated Persian news text for the demo, the benchmark and the tests where truth is known.

Articles are built from sentence templates about elections, the county and its services,
with names, places and numbers drawn from a seeded random generator, and written the way
Iranian sites really write: some with Arabic ي/ك, ZWNJ or a plain space in «می‌شود»,
Persian or ASCII digits. ``derive`` turns an original into a republication the way outlets
do it: an intro and outro of their own, paragraphs trimmed or reordered, light edits.
"""

from __future__ import annotations

import random

PLACES = [
    "کرج", "فردیس", "نظرآباد", "ساوجبلاغ", "اشتهارد", "طالقان", "هشتگرد", "محمدشهر",
    "ماهدشت", "مشکین‌دشت", "کمال‌شهر", "گرمدره", "آسارا", "چهارباغ", "کوهسار", "تنکمان",
]  # fmt: skip
PEOPLE = [
    "غفاری", "رمضانی", "محمدی", "حسینی", "کریمی", "رضایی", "موسوی", "جعفری", "احمدی",
    "صادقی", "نوری", "عباسی", "یوسفی", "طاهری", "قاسمی", "میرزایی", "اکبری", "کاظمی",
]  # fmt: skip
ROLES = [
    "فرماندار", "معاون استاندار", "رئیس ستاد انتخابات", "رئیس کمیته اطلاع‌رسانی",
    "مدیرکل روابط عمومی", "شهردار", "رئیس شورای شهر", "دبیر ستاد", "بخشدار", "دهیار",
]  # fmt: skip
TOPICS = [
    "مشارکت حداکثری در انتخابات", "تبلیغات نامزدها", "ثبت‌نام داوطلبان", "آموزش عوامل اجرایی",
    "اکران طرح‌های مشارکتی", "نظارت بر تبلیغات انتخاباتی", "امنیت صندوق‌های رأی",
    "شعب اخذ رأی سیار", "آمار واجدان شرایط", "شایعه‌های فضای مجازی", "حضور زنان و جوانان",
    "قوانین تبلیغات انتخاباتی", "جلسه شورای تأمین", "نشست خبری ستاد", "رسیدگی به تخلفات",
    "بازدید از شعب", "پخش زنده صدا و سیما", "همایش عوامل اجرایی", "جشن ملی انتخابات",
    "ترافیک و حمل‌ونقل عمومی", "آب شرب روستاها", "بازار و قیمت کالاها", "فوتبال و ورزش",
    "آلودگی هوا", "بیمارستان و درمان", "مدارس و آموزش", "راه‌سازی و عمران",
]  # fmt: skip
VERBS = [
    "گفت", "افزود", "تأکید کرد", "خبر داد", "اعلام کرد", "بیان کرد", "یادآور شد",
    "اظهار داشت", "تصریح کرد", "ادامه داد",
]  # fmt: skip
SENTENCES = [
    "{role} {place} با اشاره به {topic} {verb}: این روند در روزهای آینده با جدیت ادامه {mi}یابد.",
    "به گزارش روابط عمومی ستاد انتخابات {place}، نشست {topic} با حضور {role} برگزار شد.",
    "{person} {verb} که تاکنون بیش از {n} نفر در برنامه {topic} شرکت کرده‌اند.",
    "در این جلسه درباره {topic} در {place} و شهرهای اقماری گفت‌وگو شد.",
    "{role} {place} {verb}: همه دستگاه‌های اجرایی موظف به همکاری در {topic} هستند.",
    "بر اساس آمار اعلام‌شده، {n} شعبه در {place} برای {topic} پیش‌بینی شده است.",
    "{person} با قدردانی از رسانه‌ها {verb}: اطلاع‌رسانی درباره {topic} بلحظه انجام {mi}شود.",
    "گزارش‌های مردمی درباره {topic} در سامانه ستاد {place} ثبت و پیگیری {mi}شود.",
    "این برنامه تا پایان هفته در {n} نقطه از {place} اجرا خواهد شد.",
    "{role} {verb} که موضوع {topic} در اولویت کار ستاد {place} قرار دارد.",
    "کارشناسان معتقدند {topic} نقش مهمی در افزایش اعتماد عمومی در {place} دارد.",
    "{person} {verb}: هیچ تخلفی در زمینه {topic} بدون رسیدگی نخواهد ماند.",
]  # fmt: skip
INTROS = [
    "به گزارش خبرنگار {outlet} از {place}،",
    "{outlet} - گروه استان‌ها:",
    "به نقل از پایگاه اطلاع‌رسانی فرمانداری {place}،",
    "به گزارش {outlet}،",
]  # fmt: skip
OUTROS = [
    "انتهای پیام/",
    "خبرنگار: {person}",
    "برای دریافت اخبار بیشتر کانال {outlet} را دنبال کنید.",
    "/ ۱۴۰۲ {outlet}",
]  # fmt: skip


def _persianise_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def _arabicise(text: str) -> str:
    return text.replace("ی", "ي").replace("ک", "ك")


def sentence(rng: random.Random, topic: str | None = None, place: str | None = None) -> str:
    template = rng.choice(SENTENCES)
    mi = rng.choice(["می‌", "می ", "می"])
    text = template.format(
        role=rng.choice(ROLES),
        place=place or rng.choice(PLACES),
        topic=topic or rng.choice(TOPICS),
        verb=rng.choice(VERBS),
        person=rng.choice(PEOPLE),
        n=rng.randint(3, 2500),
        mi=mi,
    )
    return _persianise_digits(text) if rng.random() < 0.7 else text


def article(rng: random.Random, *, paragraphs: int | None = None) -> tuple[str, str]:
    """(title, text) of one original article."""
    topic = rng.choice(TOPICS)
    place = rng.choice(PLACES)
    count = paragraphs or rng.randint(4, 9)
    paras = []
    for _ in range(count):
        paras.append(" ".join(sentence(rng, topic if rng.random() < 0.6 else None, place)
                              for _ in range(rng.randint(2, 4))))  # fmt: skip
    title = f"{rng.choice(ROLES)} {place}: {topic} {rng.choice(['ادامه دارد', 'آغاز شد', 'بررسی شد', 'در دستور کار است'])}"
    text = "\n\n".join(paras)
    if rng.random() < 0.2:
        text = _arabicise(text)
    return title, text


def derive(rng: random.Random, title: str, text: str, *, outlet: str) -> tuple[str, str, bool]:
    """A republication by another outlet: (title, text, whole) where ``whole`` says whether
    most of the original survives."""
    paras = text.split("\n\n")
    whole = True
    action = rng.random()
    if action < 0.25 and len(paras) > 3:
        paras = paras[: max(2, int(len(paras) * 0.6))]  # trimmed
        whole = False
    elif action < 0.5:
        head, rest = paras[:1], paras[1:]
        rng.shuffle(rest)
        paras = head + rest  # reordered
    elif action < 0.6:
        paras = [p.replace("ی", "ي").replace("ک", "ك") for p in paras]
    intro = rng.choice(INTROS).format(outlet=outlet, place=rng.choice(PLACES))
    outro = rng.choice(OUTROS).format(outlet=outlet, person=rng.choice(PEOPLE))
    new_title = title if rng.random() < 0.5 else f"{title} + جزئیات"
    return new_title, f"{intro} {paras[0]}\n\n" + "\n\n".join(paras[1:]) + f"\n\n{outro}", whole
