"""System checks: refuse to run in production with an unsafe configuration."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register(deploy=True)
def check_production_settings(app_configs, **kwargs):
    problems = []
    if settings.DEBUG:
        problems.append(Error("DUBAN_DEBUG must be off in production.", id="duban.E001"))
    if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
        problems.append(
            Warning(
                "SQLite serves one small server; use PostgreSQL (DUBAN_DATABASE_URL) for several app servers.",
                id="duban.W001",
            )
        )
    if settings.PASSWORD_MIN_LENGTH < 8:
        problems.append(
            Error("DUBAN_PASSWORD_MIN_LENGTH must be at least 8 (等保).", id="duban.E002")
        )
    if settings.SESSION_IDLE_TIMEOUT_MINUTES > 30:
        problems.append(
            Warning("An idle timeout above 30 minutes breaks the 等保 rule.", id="duban.W002")
        )
    return problems


@register()
def check_login_policy(app_configs, **kwargs):
    problems = []
    if settings.LOGIN_FAILURE_LIMIT < 1 or settings.LOGIN_LOCKOUT_MINUTES < 1:
        problems.append(
            Error("The login failure limit and lockout must be positive.", id="duban.E003")
        )
    if settings.PASSWORD_MIN_CLASSES not in range(0, 5):
        problems.append(
            Error("DUBAN_PASSWORD_MIN_CLASSES must be between 0 and 4.", id="duban.E004")
        )
    return problems
