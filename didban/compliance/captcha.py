"""A captcha that needs no outside service: a Persian arithmetic question drawn as an image.

The answer lives only in the server-side session; the image is drawn from it with Pillow
and the bundled Vazirmatn font. Each challenge is good for one try.
"""

from __future__ import annotations

import io
import random
import time
from functools import lru_cache

from django.conf import settings
from PIL import Image, ImageDraw, ImageFilter, ImageFont

SESSION_KEY = "compliance_captcha"
LIFETIME = 15 * 60
WORDS = {
    1: "یک", 2: "دو", 3: "سه", 4: "چهار", 5: "پنج", 6: "شش", 7: "هفت", 8: "هشت", 9: "نه",
    10: "ده", 11: "یازده", 12: "دوازده",
}  # fmt: skip
_rng = random.SystemRandom()


def new_challenge(request) -> dict:
    a, b = _rng.randint(2, 12), _rng.randint(1, 9)
    if _rng.random() < 0.5:
        question, answer = f"{WORDS[a]} به‌علاوه {WORDS[b]} چند می‌شود؟", a + b
    else:
        a, b = max(a, b), min(a, b)
        question, answer = f"{WORDS[a]} منهای {WORDS[b]} چند می‌شود؟", a - b
    challenge = {"question": question, "answer": answer, "at": int(time.time())}
    request.session[SESSION_KEY] = challenge
    return challenge


def current_challenge(request) -> dict:
    challenge = request.session.get(SESSION_KEY)
    if not challenge or time.time() - challenge.get("at", 0) > LIFETIME:
        challenge = new_challenge(request)
    return challenge


def check(request, answer: str) -> bool:
    """Whether the answer is right; the challenge is used up either way."""
    challenge = request.session.pop(SESSION_KEY, None)
    if not challenge or time.time() - challenge.get("at", 0) > LIFETIME:
        return False
    return answer.strip() == str(challenge["answer"])


@lru_cache(maxsize=1)
def _font() -> ImageFont.FreeTypeFont:
    path = settings.BASE_DIR / "static" / "vendor" / "vazirmatn" / "fonts" / "ttf"
    return ImageFont.truetype(str(path / "Vazirmatn-Bold.ttf"), 30)


def render_png(question: str) -> bytes:
    font = _font()
    kwargs = {"direction": "rtl", "language": "fa"}
    try:
        box = font.getbbox(question, **kwargs)
    except (KeyError, ValueError, OSError):  # without libraqm: plain layout
        kwargs = {}
        box = font.getbbox(question)
    width, height = box[2] - box[0] + 40, box[3] - box[1] + 30
    image = Image.new("RGB", (width, height), (246, 244, 238))
    draw = ImageDraw.Draw(image)
    for _ in range(6):  # a little noise against the laziest readers
        draw.line(
            [(_rng.randint(0, width), _rng.randint(0, height)) for _ in range(2)],
            fill=(_rng.randint(120, 200),) * 3, width=1,
        )  # fmt: skip
    draw.text((20 - box[0], 15 - box[1]), question, font=font, fill=(40, 40, 80), **kwargs)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
