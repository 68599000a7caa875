"""Media monitoring: outlets and their sources, fetched articles grouped into stories,
pickups of our own items, topic rules and their hits, alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outlet(models.Model):
    class Kind(models.TextChoices):
        NEWS_AGENCY = "news_agency", _("News agency")
        NEWSPAPER = "newspaper", _("Newspaper")
        BROADCASTER = "broadcaster", _("Broadcaster")
        GOVERNORATE_SITE = "governorate_site", _("Governorate site")
        CHANNEL = "channel", _("Messenger channel")
        WEBSITE = "website", _("Website")

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.WEBSITE)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.SET_NULL, null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="monitoring_outlet_org_name")
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.Model):
    class Kind(models.TextChoices):
        FEED = "feed", _("RSS/Atom feed")
        WEB_INDEX = "web_index", _("Web index page")
        CHANNEL_PREVIEW = "channel_preview", _("Public channel preview")
        LOCAL = "local", _("Local file or folder")

    # Reasons a fetch fails, in words (FetchError/ParseError codes).
    ERROR_TEXTS = {
        "bad_url": _("The address is not a valid web address."),
        "http_status": _("The site answered with an error (HTTP %(detail)s)."),
        "too_large": _("The page is larger than the allowed size."),
        "timeout": _("The site did not answer in time."),
        "redirects": _("The site redirects too many times (a redirect loop)."),
        "network": _("The site could not be reached."),
        "decoding": _("The site sent a compressed answer that could not be read."),
        "bad_feed": _("The feed is not valid RSS or Atom XML."),
        "bad_page": _("The page could not be read as HTML."),
        "no_text": _("No article text was found on the page."),
        "missing_file": _("The file or folder does not exist."),
        "internal": _("An unexpected error occurred while reading the source."),
    }

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE, related_name="sources"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FEED)
    url = models.CharField(_("address or path"), max_length=1000)
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.SET_NULL, null=True, blank=True
    )
    poll_minutes = models.PositiveIntegerField(_("poll every (minutes)"), default=15)
    fetch_full_text = models.BooleanField(_("fetch article pages for full text"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    next_fetch_at = models.DateTimeField(_("next fetch"), default=timezone.now)
    # Health.
    last_fetch_at = models.DateTimeField(_("last fetch"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_item_at = models.DateTimeField(_("last new article"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_error_code = models.CharField(max_length=30, blank=True)
    last_error_detail = models.CharField(max_length=300, blank=True)
    items_per_day = models.FloatField(_("articles per day"), default=0)
    silent_hours = models.PositiveIntegerField(
        _("silent too long after (hours)"),
        default=48,
        help_text=_("Flag the source when it brings no new article for this long."),
    )
    # "Silent for too long", stored so the pages can filter on it; kept up to date by each
    # fetch and by the worker's periodic check (actions.do_refresh_silence).
    is_silent = models.BooleanField(_("silent too long"), default=False)
    silent_since = models.DateTimeField(_("silent since"), null=True, blank=True)
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        indexes = [
            # The worker's "which sources are due" query.
            models.Index(fields=["is_active", "next_fetch_at"], name="monitoring_source_due"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def error_text(self) -> str:
        if not self.last_error_code:
            return ""
        text = str(self.ERROR_TEXTS.get(self.last_error_code, self.ERROR_TEXTS["internal"]))
        return text % {"detail": self.last_error_detail} if "%(detail)s" in text else text

    @property
    def healthy(self) -> bool:
        return self.consecutive_failures == 0 and not self.is_silent

    @property
    def silent_too_long(self) -> bool:
        return self.is_silent

    def quiet_since(self):
        """Since when the source has brought nothing new (None: never fetched successfully)."""
        if self.last_success_at is None:
            return None
        return self.last_item_at or self.created_at

    def compute_silence(self, now=None) -> tuple[bool, object]:
        """(silent, since) as they should be stored now; paused sources are never silent."""
        since = self.quiet_since()
        if not self.is_active or since is None:
            return False, None
        now = now or timezone.now()
        if (now - since).total_seconds() > self.silent_hours * 3600:
            return True, since
        return False, None


class Story(models.Model):
    """Near-duplicate articles: one text republished by several outlets."""

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=500)
    first_article = models.ForeignKey(
        "Article", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    first_outlet = models.ForeignKey(
        Outlet, verbose_name=_("first outlet"), on_delete=models.SET_NULL, null=True
    )
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    article_count = models.PositiveIntegerField(_("articles"), default=1)
    outlet_count = models.PositiveIntegerField(_("outlets"), default=1)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            # The stories page: the organisation's most recently active stories.
            models.Index(fields=["org", "-last_seen_at"], name="monitoring_story_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class Article(models.Model):
    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="articles"
    )
    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.CASCADE)
    story = models.ForeignKey(
        Story,
        verbose_name=_("story"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    url = models.CharField(_("address"), max_length=1000)
    url_key = models.CharField(max_length=1000, editable=False)
    guid = models.CharField(max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=500)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"), db_index=True)
    fetched_at = models.DateTimeField(_("fetched"), default=timezone.now)
    text = models.TextField(_("text"))
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="fa")
    # Normalised tokens joined by spaces: what search, topics and dedup see.
    title_norm = models.TextField(editable=False, blank=True)
    text_norm = models.TextField(editable=False, blank=True)
    content_hash = models.CharField(max_length=64, editable=False, db_index=True)
    signature = models.BinaryField(editable=False, null=True)
    date_was_guessed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["org", "url_key"], name="monitoring_article_url")
        ]
        indexes = [
            # Article lists and newest-first search within an organisation.
            models.Index(fields=["org", "-published_at"], name="monitoring_article_recent"),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleBand(models.Model):
    """LSH band keys of an article's MinHash: candidates for the same story share a key."""

    org_id_copy = models.BigIntegerField()
    key = models.BigIntegerField()
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bands")
    # The article's published time (seconds since 1970), so a worker loading the band keys
    # applies the story window without reading the article rows.
    published = models.BigIntegerField()

    class Meta:
        indexes = [
            # Rows are appended in id order and read by workers in id order ("written since I
            # last looked"): the band keys themselves are looked up in the workers' memory
            # (pipeline.BandMemory), not in a database index whose random keys cost a page
            # write each.
            models.Index(fields=["org_id_copy", "id"], name="monitoring_band_order"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.key}"


class Pickup(models.Model):
    """An outlet republished (all or part of) one of our published newsroom items."""

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    item_id = models.BigIntegerField(_("item"), db_index=True)
    item_published_at = models.DateTimeField(_("item published"))
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="pickups"
    )
    delay_seconds = models.BigIntegerField(_("delay after our publication (s)"))
    similarity = models.FloatField(_("similarity"))
    whole = models.BooleanField(_("whole item"), default=True)
    created_at = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        verbose_name = _("pickup")
        verbose_name_plural = _("pickups")
        constraints = [
            models.UniqueConstraint(fields=["item_id", "article"], name="monitoring_pickup_once")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.article_id}"


class Topic(models.Model):
    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    rule = models.TextField(
        _("rule"),
        help_text=_(
            'Words with AND, OR, NOT, parentheses, "exact phrases", prefix* and NEAR/n, '
            'e.g. (مشارکت OR "حضور در انتخابات") AND کرج NOT فوتبال'
        ),
    )
    compiled = models.JSONField(editable=False, default=dict)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class TopicHit(models.Model):
    class State(models.TextChoices):
        NEW = "new", _("To filter")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    class Tone(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        NEGATIVE = "negative", _("Negative")

    class Importance(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="hits"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="hits"
    )
    hour = models.DateTimeField(_("hour"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEW)
    tone = models.CharField(_("tone"), max_length=10, choices=Tone.choices, blank=True)
    importance = models.PositiveSmallIntegerField(
        _("importance"), choices=Importance.choices, default=Importance.NORMAL
    )
    note = models.TextField(_("note"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # Found by applying a new or changed rule to articles already ingested (no alert sent).
    backfilled = models.BooleanField(_("found afterwards"), default=False)
    created_at = models.DateTimeField(_("found"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic hit")
        verbose_name_plural = _("topic hits")
        constraints = [
            models.UniqueConstraint(fields=["topic", "article"], name="monitoring_hit_once")
        ]
        indexes = [
            # The filtering queue: an organisation's hits in a state, newest first.
            models.Index(fields=["org", "state", "-created_at"], name="monitoring_hit_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} · {self.article}"


class HourlyCount(models.Model):
    """Topic hits counted per hour, kept when articles are pruned."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="hourly")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "hour"], name="monitoring_hourly_once")
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} {self.hour:%Y-%m-%d %H}: {self.count}"


class AlertRule(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", _("Topic hits")
        PICKUP = "pickup", _("Pickups of our items")

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediately")
        HOURLY = "hourly", _("Hourly digest")

    org = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("on"), max_length=10, choices=Kind.choices, default=Kind.TOPIC)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, null=True, blank=True
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("people"), related_name="+"
    )
    by_app = models.BooleanField(_("in the app"), default=True)
    by_email = models.BooleanField(_("by email"), default=False)
    messenger_channel_id = models.BigIntegerField(
        _("messenger channel"),
        null=True,
        blank=True,
        help_text=_("A Telegram-protocol channel of the publishing app used to send alerts."),
    )
    messenger_chat = models.CharField(
        _("messenger chat"),
        max_length=200,
        blank=True,
        help_text=_("A chat id reachable through a publishing messenger channel."),
    )
    mode = models.CharField(_("when"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    max_per_hour = models.PositiveIntegerField(_("at most per hour"), default=20)
    is_active = models.BooleanField(_("active"), default=True)
    pending = models.JSONField(default=list, editable=False)
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """One delivery of an alert to one person (or chat) through one channel."""

    class Channel(models.TextChoices):
        APP = "app", _("In the app")
        EMAIL = "email", _("Email")
        MESSENGER = "messenger", _("Messenger")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        THROTTLED = "throttled", _("Held back (too many)")

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    org = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [
            # A person's in-app notifications, newest first.
            models.Index(fields=["recipient", "-created_at"], name="monitoring_alert_inbox"),
        ]

    def __str__(self) -> str:
        return self.subject
