"""What each transport sends: the e-mail and the robot message bodies, built once when queued."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from duban.notifications.choices import DeliveryChannel
from duban.notifications.policy import split_utf8
from duban.notifications.senders import WECOM_MARKDOWN_MAX_BYTES

# Room kept in each WeCom part for its "(2/3)" marker.
_PART_MARK_BYTES = 16
# DingTalk titles show in the chat list; keep them short.
_DINGTALK_TITLE_CHARS = 60


def absolute_url(url: str) -> str:
    """A link a phone can open: the inbox link made absolute with DUBAN_SITE_URL, else ""."""
    site = getattr(settings, "NOTIFY_SITE_URL", "").rstrip("/")
    if not url or not url.startswith("/") or not site:
        return ""
    return f"{site}{url}"


def message_text(title: str, body: str, url: str, urgent: bool) -> str:
    """The markdown both robots render (the WeCom subset: bold, quote, link)."""
    heading = f"【{_('Urgent')}】{title}" if urgent else title
    lines = [f"**{heading}**"]
    if body:
        lines.append(body)
    link = absolute_url(url)
    if link:
        lines.append(f"[{_('Open in Duban')}]({link})")
    return "\n".join(lines)


def email_payload(address: str, title: str, body: str, url: str, urgent: bool) -> dict:
    subject = f"【{_('Urgent')}】{title}" if urgent else title
    lines = [body] if body else []
    link = absolute_url(url)
    if link:
        lines.append(link)
    return {"to": [address], "subject": subject[:200], "body": "\n\n".join(lines) or title}


def robot_payloads(kind: str, title: str, text: str, phone: str, urgent: bool) -> list[dict]:
    """One JSON body per robot message. WeCom markdown is split at 4096 bytes and cannot mention
    by phone, so an urgent WeCom message is followed by a short text that @-mentions the person;
    DingTalk mentions in the markdown itself (`at.atMobiles` plus "@phone" in the text)."""
    if kind == DeliveryChannel.WECOM:
        parts = split_utf8(text, WECOM_MARKDOWN_MAX_BYTES - _PART_MARK_BYTES)
        if len(parts) > 1:
            parts = [f"({i}/{len(parts)})\n{part}" for i, part in enumerate(parts, 1)]
        bodies = [{"msgtype": "markdown", "markdown": {"content": part}} for part in parts]
        if urgent and phone:
            bodies.append(
                {
                    "msgtype": "text",
                    "text": {
                        "content": _("Urgent message in Duban: %(title)s") % {"title": title},
                        "mentioned_mobile_list": [phone],
                    },
                }
            )
        return bodies
    mention = f"\n\n@{phone}" if phone else ""
    return [
        {
            "msgtype": "markdown",
            "markdown": {"title": title[:_DINGTALK_TITLE_CHARS], "text": f"{text}{mention}"},
            "at": {"atMobiles": [phone] if phone else [], "isAtAll": False},
        }
    ]
