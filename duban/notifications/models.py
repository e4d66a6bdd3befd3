"""Notifications: the in-app inbox, each person's channel preferences, group robots and the send log.

A `Notification` is the inbox row; each external copy of it (an e-mail, a robot message) is a
`Delivery`, which is also the log of that send (status, attempts, errcode). Notifications and
deliveries are written by the system, not typed by a user, so they stay out of the change log; the
rows people enter (`Preference`, `Channel`) are audited, with the robot credentials masked.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core.models import Archivable, BaseModel
from duban.notifications.choices import DeliveryChannel, DeliveryStatus, RobotKind
from duban.notifications.querysets import (
    ChannelQuerySet,
    DeliveryQuerySet,
    NotificationQuerySet,
)

DEFAULT_BASE_URLS = {
    RobotKind.WECOM: "https://qyapi.weixin.qq.com",
    RobotKind.DINGTALK: "https://oapi.dingtalk.com",
}


class Notification(models.Model):
    """One message in a user's inbox (站内消息)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # The caller's idempotency key: one notification per (recipient, key).
    # NULL, not "", for "no key": the unique constraint below then leaves keyless rows alone.
    key = models.CharField(_("idempotency key"), max_length=200, null=True, blank=True)  # noqa: DJ001
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    digest = models.ForeignKey(
        "Digest",
        verbose_name=_("digest"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # notify(key=…) is idempotent per recipient.
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=Q(key__isnull=False),
                name="notifications_unique_recipient_key",
            )
        ]
        indexes = [
            # The navbar badge on every page: COUNT(*) WHERE recipient = ? AND read_at IS NULL.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notifications_unread_idx",
            ),
            # The inbox: WHERE recipient = ? ORDER BY created_at DESC.
            models.Index(fields=["recipient", "-created_at"], name="notifications_inbox_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preference(BaseModel):
    """How one user wants to be reached. Without a row the defaults below apply."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    wecom = models.BooleanField(_("by WeCom robot"), default=True)
    dingtalk = models.BooleanField(_("by DingTalk robot"), default=True)
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    muted_kinds = models.JSONField(
        _("kept in the inbox only"),
        default=list,
        blank=True,
        help_text=_("These kinds of message are neither e-mailed nor sent to robots."),
    )
    digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_(
            "One summary of unread messages each working morning; only urgent messages are "
            "pushed at once."
        ),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("notifications:preferences")

    @classmethod
    def for_user(cls, user) -> Preference:
        """The user's row, or an unsaved one with the defaults (quiet hours from the settings)."""
        existing = cls.objects.filter(user=user).first()
        if existing is not None:
            return existing
        start, end = default_quiet_hours()
        # E-mail is on by default only for an account that has an address to send to.
        return cls(user=user, quiet_start=start, quiet_end=end, email=bool(user.email))

    def clean(self):
        super().clean()
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValidationError(
                {"quiet_end": _("Give both the start and the end of the quiet hours, or neither.")}
            )
        if self.quiet_start is not None and self.quiet_start == self.quiet_end:
            raise ValidationError(
                {"quiet_end": _("The quiet hours must end at a different time than they start.")}
            )

    def channels(self) -> list[str]:
        return [
            kind
            for kind, on in (
                (DeliveryChannel.EMAIL, self.email),
                (DeliveryChannel.WECOM, self.wecom),
                (DeliveryChannel.DINGTALK, self.dingtalk),
            )
            if on
        ]


def default_quiet_hours() -> tuple[dt.time | None, dt.time | None]:
    """DUBAN_NOTIFY_QUIET_HOURS ("22:00-07:30"; empty for none) read as two times."""
    value = getattr(settings, "NOTIFY_QUIET_HOURS", "")
    if not value:
        return None, None
    start, end = (dt.time.fromisoformat(part.strip()) for part in value.split("-", 1))
    return start, end


class Channel(BaseModel, Archivable):
    """A group robot (消息机器人) of a unit or one of its sections."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=RobotKind.choices)
    base_url = models.URLField(
        _("server address"),
        max_length=200,
        blank=True,
        help_text=_(
            "Leave empty for the public service; set it for a government deployment (e.g. 浙政钉)."
        ),
    )
    # The WeCom `key` or the DingTalk `access_token`: the robot's credential, masked in the log.
    key = models.CharField(_("key or access token"), max_length=200)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk 加签 secret (starts with SEC); leave empty if not used."),
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        "org.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty for the whole unit's robot."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        verbose_name = _("message robot")
        verbose_name_plural = _("message robots")
        ordering = ["unit__path", "section_id", "name"]
        indexes = [
            # Routing a person's message: WHERE kind = ? AND (section = ? OR unit = ?).
            models.Index(fields=["unit", "section", "kind"], name="notifications_channel_route"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notifications:channel_list")

    @property
    def server(self) -> str:
        return (self.base_url or DEFAULT_BASE_URLS[self.kind]).rstrip("/")

    @property
    def usable(self) -> bool:
        return self.enabled and not self.is_archived

    def clean(self):
        super().clean()
        if self.section_id and self.unit_id and self.section.unit_id != self.unit_id:
            raise ValidationError({"section": _("The section must belong to the chosen unit.")})
        if self.secret and self.kind != RobotKind.DINGTALK:
            raise ValidationError({"secret": _("Only DingTalk robots use a signing secret.")})
        if self.secret and not self.secret.startswith("SEC"):
            raise ValidationError({"secret": _("A DingTalk signing secret starts with SEC.")})


class Digest(models.Model):
    """The daily digest of one user: its row is the claim that makes it once a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="notifications_digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.date}"


class Delivery(models.Model):
    """One external send (an e-mail or a robot message) and its log: status, attempts, errcode."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    digest = models.ForeignKey(
        Digest,
        verbose_name=_("daily digest"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=DeliveryChannel.choices)
    robot = models.ForeignKey(
        Channel,
        verbose_name=_("robot"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    # None for a robot's test message (no person behind it).
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    # The JSON body exactly as sent (credentials live on the robot, never here).
    payload = models.TextField(_("payload"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # When the robot was last called for this row: the per-robot rate window counts these.
    attempted_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    errcode = models.IntegerField(_("errcode"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The scan: WHERE status IN (queued, deferred, sending) AND next_attempt_at <= now.
            models.Index(fields=["status", "next_attempt_at"], name="notifications_due_idx"),
            # The rate window: WHERE robot = ? AND attempted_at > now - 60 s.
            models.Index(fields=["robot", "attempted_at"], name="notifications_rate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} #{self.pk}"
