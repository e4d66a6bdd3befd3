"""The transports against a loopback robot server: payloads, the DingTalk signature, errcodes."""

import base64
import hashlib
import hmac
import json
import urllib.parse

import pytest
from django.core import mail

from duban.notifications import payloads, senders
from duban.notifications.models import Channel

SECRET = "SEC0123456789abcdef"


def robot(url, kind="wecom", key="the-key", secret="") -> Channel:
    # Not saved: senders only read the address and the credentials.
    return Channel(name="r", kind=kind, base_url=url, key=key, secret=secret)


def test_wecom_posts_markdown_to_the_webhook_with_its_key(robots):
    body = {"msgtype": "markdown", "markdown": {"content": "**督办提醒**"}}
    result = senders.send_robot(robot(robots.url), body)
    assert result.ok and result.errcode == 0
    (received,) = robots.requests
    assert received.path == "/cgi-bin/webhook/send"
    assert received.query == {"key": "the-key"}
    assert received.body == body


def test_dingtalk_signs_with_hmac_sha256_as_documented(robots):
    body = payloads.robot_payloads("dingtalk", "逾期", "**逾期**", "13800000000", False)[0]
    assert senders.send_robot(robot(robots.url, "dingtalk", "tok", SECRET), body).ok
    (received,) = robots.requests
    assert received.path == "/robot/send"
    assert received.query["access_token"] == "tok"
    timestamp = received.query["timestamp"]
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    ).decode()
    assert received.query["sign"] == expected  # parse_qsl undid quote_plus
    assert received.body == {
        "msgtype": "markdown",
        "markdown": {"title": "逾期", "text": "**逾期**\n\n@13800000000"},
        "at": {"atMobiles": ["13800000000"], "isAtAll": False},
    }


def test_dingtalk_signature_is_url_quoted():
    sign = senders.dingtalk_sign(SECRET, 1700000000000)
    raw = base64.b64encode(
        hmac.new(SECRET.encode(), f"1700000000000\n{SECRET}".encode(), hashlib.sha256).digest()
    )
    assert sign == urllib.parse.quote_plus(raw)


def test_dingtalk_without_secret_sends_no_signature(robots):
    senders.send_robot(robot(robots.url, "dingtalk", "tok"), {"msgtype": "markdown"})
    assert robots.requests[0].query == {"access_token": "tok"}


@pytest.mark.parametrize(("errcode", "limited"), [(45009, True), (130101, True), (310000, False)])
def test_errcodes_are_interpreted(robots, errcode, limited):
    robots.answer(errcode)
    result = senders.send_robot(robot(robots.url), {"msgtype": "text"})
    assert not result.ok and result.errcode == errcode and result.rate_limited is limited


def test_http_and_network_errors_fail_without_leaking_the_key(robots):
    robots.answer(("http", 502))
    result = senders.send_robot(robot(robots.url), {})
    assert not result.ok and result.errcode is None and "502" in result.error
    closed = senders.send_robot(robot("http://127.0.0.1:9", key="the-key"), {})
    assert not closed.ok and "the-key" not in closed.error


def test_wecom_long_markdown_is_split_under_4096_bytes():
    text = "\n".join(
        ["**逾期事项**", *[f"{i}. 城区道路改造项目进度滞后，请尽快整改。" for i in range(300)]]
    )
    bodies = payloads.robot_payloads("wecom", "逾期", text, "", False)
    contents = [b["markdown"]["content"] for b in bodies]
    assert len(contents) > 1
    assert all(len(c.encode()) <= 4096 for c in contents)
    assert contents[0].startswith(f"(1/{len(contents)})\n")


def test_urgent_wecom_message_mentions_the_person_by_phone():
    bodies = payloads.robot_payloads("wecom", "重大隐患", "**重大隐患**", "13900000000", True)
    assert bodies[-1]["msgtype"] == "text"
    assert bodies[-1]["text"]["mentioned_mobile_list"] == ["13900000000"]
    assert len(json.dumps(bodies[-1]["text"]["content"]).encode()) <= senders.WECOM_TEXT_MAX_BYTES


def test_email_goes_through_django_mail():
    result = senders.send_email({"to": ["a@example.cn"], "subject": "督办", "body": "正文"})
    assert result.ok
    assert mail.outbox[0].to == ["a@example.cn"] and mail.outbox[0].subject == "督办"
