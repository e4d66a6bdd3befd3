from django.db import models
from django.utils.translation import gettext_lazy as _


class RobotKind(models.TextChoices):
    """The group robots a Channel can be."""

    WECOM = "wecom", _("WeCom robot")
    DINGTALK = "dingtalk", _("DingTalk robot")


class DeliveryChannel(models.TextChoices):
    """How one Delivery reaches its recipient."""

    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom robot")
    DINGTALK = "dingtalk", _("DingTalk robot")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    DEFERRED = "deferred", _("Deferred")
