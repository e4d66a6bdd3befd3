"""The transports: e-mail through Django's mail API, WeCom and DingTalk group robots over HTTPS.

Each sender takes the stored JSON payload and returns a `SendResult`; none of them retries or
sleeps (delivery.py decides what happens next). Credentials go only into the request URL and never
into a result, an exception message or a log line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail

from duban.notifications.models import Channel

logger = logging.getLogger(__name__)

HTTP_TIMEOUT_SECONDS = 10
WECOM_MARKDOWN_MAX_BYTES = 4096
WECOM_TEXT_MAX_BYTES = 2048
# Robots answer these when more than 20 messages a minute reach them (domain.md §6).
WECOM_RATE_LIMITED = 45009
DINGTALK_RATE_LIMITED = 130101
RATE_LIMIT_ERRCODES = frozenset({WECOM_RATE_LIMITED, DINGTALK_RATE_LIMITED})


@dataclass(frozen=True)
class SendResult:
    ok: bool
    errcode: int | None = None
    error: str = ""

    @property
    def rate_limited(self) -> bool:
        return self.errcode in RATE_LIMIT_ERRCODES


def send_email(payload: dict) -> SendResult:
    try:
        send_mail(
            payload["subject"],
            payload["body"],
            settings.DEFAULT_FROM_EMAIL,
            payload["to"],
            fail_silently=False,
        )
    except Exception as error:  # noqa: BLE001 — any SMTP failure is a failed attempt, retried
        return SendResult(False, error=f"{type(error).__name__}: {error}"[:500])
    return SendResult(True)


def wecom_url(robot: Channel) -> str:
    return f"{robot.server}/cgi-bin/webhook/send?key={urllib.parse.quote(robot.key, safe='')}"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The 加签 signature: base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}")), URL-quoted."""
    string_to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_url(robot: Channel, timestamp_ms: int | None = None) -> str:
    url = f"{robot.server}/robot/send?access_token={urllib.parse.quote(robot.key, safe='')}"
    if robot.secret:
        timestamp_ms = timestamp_ms if timestamp_ms is not None else round(time.time() * 1000)
        url += f"&timestamp={timestamp_ms}&sign={dingtalk_sign(robot.secret, timestamp_ms)}"
    return url


def send_robot(robot: Channel, payload: dict) -> SendResult:
    url = wecom_url(robot) if robot.kind == "wecom" else dingtalk_url(robot)
    return _post_json(url, payload, secrets=(robot.key, robot.secret))


def _post_json(url: str, payload: dict, secrets: tuple[str, ...]) -> SendResult:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read(65536)
    except urllib.error.HTTPError as error:
        return SendResult(False, error=_scrub(f"HTTP {error.code} {error.reason}", secrets))
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return SendResult(False, error=_scrub(f"{type(error).__name__}: {reason}", secrets))
    try:
        answer = json.loads(body)
        errcode = int(answer.get("errcode", -1))
        errmsg = str(answer.get("errmsg", ""))
    except (ValueError, AttributeError, TypeError):
        return SendResult(False, error=_scrub(f"not a robot answer: {body[:200]!r}", secrets))
    if errcode == 0:
        return SendResult(True, errcode=0)
    return SendResult(False, errcode=errcode, error=_scrub(f"{errcode} {errmsg}", secrets))


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "******")
    return text[:500]
