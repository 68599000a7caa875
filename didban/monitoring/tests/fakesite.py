"""A local fake news site speaking real HTTP, started by the tests on 127.0.0.1.

Routes are plain dicts: {"body": bytes, "type": str, "status": int, "headers": {...},
"etag": str, "delay": seconds, "redirect": path, "stream": total_bytes}.
"""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


class FakeSite:
    def __init__(self):
        self.routes: dict[str, dict] = {}
        self.requests: list[tuple[str, dict]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                site.requests.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path)
                if route is None:
                    return self._send(404, b"not found", "text/plain")
                if route.get("delay"):
                    time.sleep(route["delay"])
                if "redirect" in route:
                    self.send_response(302)
                    self.send_header("Location", route["redirect"])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                etag = route.get("etag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if "stream" in route:  # a huge body, sent without a length
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"<p>" + "خبر ".encode() * 2000 + b"</p>"
                    sent = 0
                    try:
                        while sent < route["stream"]:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return None
                headers = dict(route.get("headers", {}))
                if etag:
                    headers["ETag"] = etag
                return self._send(
                    route.get("status", 200), route.get("body", b""), route.get("type"), headers
                )

            def _send(self, status, body, content_type, headers=None):
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def seed_text() -> str:
    return (FIXTURES / "karaj-command-room.fa.txt").read_text(encoding="utf-8")


def seed_article() -> tuple[str, str, list[str]]:
    """(date line, title, paragraphs) of the seed page."""
    lines = [line.strip() for line in seed_text().splitlines()]
    date_line = lines[2]
    title = lines[3]
    end = next(i for i, line in enumerate(lines) if line.startswith("کد خبر"))
    body = [line for line in lines[5:end] if line]
    return date_line, title, body


def governorate_page(*, charset: str = "utf-8") -> str:
    """The seed article inside a realistic Iranian governorate page: menus, comment form,
    poll, visitor statistics, prayer times, footer."""
    date_line, title, body = seed_article()
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body)
    menu = "".join(
        f'<li><a href="/fa/{n}">{label}</a></li>'
        for n, label in enumerate(
            ["صفحه اصلی", "درباره ما", "اخبار", "اطلاعیه‌ها", "شهرستان‌ها", "تماس با ما", "سامانه‌ها"]
        )
    )
    return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="{charset}">
<title>{title} - فرمانداری شهرستان کرج</title>
<meta name="description" content="پایگاه اطلاع رسانی فرمانداری شهرستان کرج"></head>
<body>
<header><div class="logo">فرمانداری شهرستان کرج</div>
<nav class="main-menu"><ul>{menu}</ul></nav>
<form class="search"><input name="q" placeholder="جستجو"><button>جستجو</button></form></header>
<div class="container">
<aside class="right-col">
<div class="box"><h3>آمار بازدیدکنندگان</h3><ul><li>بازدید امروز : ۱۲۳۴</li>
<li>بازدید دیروز : ۲۳۴۵</li><li>بازدید کل : ۹۸۷۶۵۴۳</li><li>افراد آنلاین : ۱۲</li></ul></div>
<div class="box"><h3>نظرسنجی</h3><p>نظر شما در مورد طراحی سایت چیست؟</p>
<form><label><input type="radio" name="v">عالی</label><label><input type="radio" name="v">خوب</label>
<label><input type="radio" name="v">متوسط</label><label><input type="radio" name="v">ضعیف</label>
<button>ثبت رای</button></form></div>
<div class="box"><h3>اوقات شرعی</h3><ul><li>اذان صبح : ۰۵:۱۲</li><li>طلوع آفتاب : ۰۶:۳۸</li>
<li>اذان ظهر : ۱۲:۱۱</li><li>اذان مغرب : ۱۸:۰۳</li></ul></div>
</aside>
<main><article class="news">
<div class="news-date">تاریخ ایجاد خبر : {date_line.split(":", 1)[1].strip()}</div>
<h1 class="title">{title}</h1>
<div class="news-body">{paragraphs}</div>
<div class="news-info"><span>کد خبر : 35665</span> <span>منبع : فرمانداری کرج</span>
<span>تعداد بازدید : ۵۳</span> <a href="#">چاپ</a> <a href="#">ارسال به دوستان</a></div>
</article>
<section class="comments"><h3>ارسال نظر</h3><form method="post">
<label>نام و نام خانوادگی : <input name="name"></label><label>پست الکترونیک : <input name="email"></label>
<label>نظر : <textarea name="body"></textarea></label><label>کد امنیتی : <input name="captcha"></label>
<button>ارسال نظر</button></form></section></main></div>
<footer><p>کلیه حقوق مادی و معنوی این سایت متعلق به فرمانداری کرج بوده و استفاده از مطالب آن با ذکر منبع آزاد می باشد.</p>
<p>آدرس : کرج - عظیمیه - خیابان طالقانی شمالی - شهرک اداری</p></footer>
</body></html>"""


def rss(items: list[dict], *, encoding: str = "utf-8") -> bytes:
    entries = "".join(
        f"<item><title>{i['title']}</title><link>{i['link']}</link>"
        f"<guid>{i.get('guid', i['link'])}</guid>"
        + (f"<pubDate>{i['date']}</pubDate>" if i.get("date") else "")
        + f"<description>{i.get('summary', '')}</description></item>"
        for i in items
    )
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel>'
        f"<title>خبرگزاری آزمایشی</title><link>http://example.ir/</link>{entries}</channel></rss>"
    )
    return text.encode(encoding)


def atom(items: list[dict]) -> bytes:
    entries = "".join(
        f'<entry><title>{i["title"]}</title><link href="{i["link"]}"/><id>{i["link"]}</id>'
        f'<updated>{i["date"]}</updated><content type="html">{i["content"]}</content></entry>'
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>روزنامه آزمایشی</title><id>urn:x</id><updated>2024-02-26T00:00:00Z</updated>{entries}</feed>"
    ).encode()


def cp1256_page() -> bytes:
    """The page as an old Iranian site serves it: windows-1256, with Arabic yeh (ي) because
    the Persian ی and digits have no place in that code page."""
    from didban.lib.persian import to_ascii_digits

    page = to_ascii_digits(governorate_page(charset="windows-1256")).replace("ی", "ي")
    return page.encode("cp1256")
