"""Who is acting, from where: carried through a request, a job or a command for the change log."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ChangeContext:
    source: str  # "web", "api", "command:<name>", "job:<kind>", "system"
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip: str | None = None
    request: Any = None  # the HttpRequest, read lazily: authentication happens after our middleware
    user: Any = None

    def acting_user(self) -> Any:
        if self.user is not None:
            return self.user
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


_current: ContextVar[ChangeContext | None] = ContextVar("duban_change_context", default=None)


def current_context() -> ChangeContext:
    return _current.get() or ChangeContext(source="system")


@contextmanager
def change_context(source: str, user: Any = None, **kwargs: Any) -> Iterator[ChangeContext]:
    """Run a block (a command, a job) under a named source and user for the change log."""
    parent = _current.get()
    context = ChangeContext(
        source=source,
        user=user,
        request_id=kwargs.get("request_id") or (parent.request_id if parent else uuid.uuid4().hex),
        ip=kwargs.get("ip"),
    )
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def set_request_context(context: ChangeContext):
    return _current.set(context)


def reset_context(token) -> None:
    _current.reset(token)
