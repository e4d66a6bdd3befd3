"""The kinds of message modules send, as people name them: the delivery log shows the kind (not
the business content) and each person may keep some kinds out of e-mail and robots (inbox only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

KINDS: dict[str, str] = {
    "supervision.assigned": _("New supervised task"),
    "supervision.warning": _("Deadline near"),
    "supervision.escalated": _("Escalated to me"),
    "supervision.extension_requested": _("Extension to approve"),
    "supervision.extension_decided": _("Extension decided"),
    "supervision.review": _("Completion to review"),
    "supervision.reviewed": _("Completion reviewed"),
    "supervision.coordinated": _("Director's instruction"),
    "supervision.problem_decided": _("Problem decided"),
    "supervision.talk_follow_up": _("Talk follow-up"),
    "assessment.report_due": _("Indicator report due"),
}


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))
