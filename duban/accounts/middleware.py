"""Idle and absolute session timeouts (等保: 30 minutes idle, 8 hours at most)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _

LOGIN_AT = "duban_login_at"
LAST_SEEN = "duban_last_seen"
# Writing the session on every request would cost a database write per page; once a minute is enough.
TOUCH_EVERY_SECONDS = 60


def start_session_clock(request) -> None:
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            expired = self._expired(request)
            if expired:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, expired)
                login_url = redirect("accounts:login").url
                return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> str | None:
        now = time.time()
        login_at = request.session.get(LOGIN_AT)
        last_seen = request.session.get(LAST_SEEN)
        if login_at is None or last_seen is None:
            start_session_clock(request)
            return None
        if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60:
            return _("You have been signed in for too long; please sign in again.")
        if now - last_seen > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
            return _("You were signed out after a period of inactivity; please sign in again.")
        if now - last_seen > TOUCH_EVERY_SECONDS:
            request.session[LAST_SEEN] = now
        return None
