from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    MEETING = "meeting", _("Meeting decision")
    INSTRUCTION = "instruction", _("Leader's instruction")
    HIGHER = "higher", _("Assigned by a higher authority")
    INDICATOR = "indicator", _("Assessment indicator")
    PROJECT = "project", _("Key project")
    PETITION = "petition", _("Petition / 12345 hotline")
    OTHER = "other", _("Other")


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting acceptance")
    IN_PROGRESS = "in_progress", _("In progress")
    REVIEW = "review", _("Awaiting review")
    DONE = "done", pgettext_lazy("task status", "Completed")
    STOPPED = "stopped", pgettext_lazy("task status", "Stopped")


# Statuses in which the owner still has work to do, so deadlines, feedback and the ladder apply.
ACTIVE_STATUSES = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)
OPEN_STATUSES = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.REVIEW)


class Quadrant(models.IntegerChoices):
    """轻重缓急: Eisenhower's four quadrants, numbered as the office says them."""

    IMPORTANT_URGENT = 1, _("Important and urgent")
    IMPORTANT = 2, _("Important, not urgent")
    URGENT = 3, _("Urgent, not important")
    ROUTINE = 4, _("Neither important nor urgent")


class FeedbackCycle(models.TextChoices):
    NONE = "none", _("No regular report")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month (last working day)")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class Colour(models.TextChoices):
    GREEN = "green", _("On track")
    YELLOW = "yellow", _("Deadline near")
    RED = "red", _("Overdue")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Level(models.IntegerChoices):
    WARNING = 0, _("Warning")
    LEADER = 1, _("Level 1: leader in charge")
    DIRECTOR = 2, _("Level 2: director")


class EscalationReason(models.TextChoices):
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    OVERDUE = "overdue", _("Overdue")
    FEEDBACK_OVERDUE = "feedback_overdue", _("Progress report overdue")
    PROBLEM_OPEN = "problem_open", _("Problem unsolved")
    SECOND_EXTENSION = "second_extension", _("Second extension requested")
    LEVEL1_UNRESOLVED = "level1_unresolved", _("Level 1 unresolved")
    COORDINATION = "coordination", _("Director's coordination requested")
    WAITING_DECISION = "waiting_decision", _("Problem waiting for a decision")


class EventKind(models.TextChoices):
    CREATED = "created", _("Registered")
    ACCEPTED = "accepted", pgettext_lazy("task event", "Accepted")
    PROGRESS = "progress", _("Progress reported")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_APPROVED = "extension_approved", _("Extension approved")
    EXTENSION_REJECTED = "extension_rejected", _("Extension rejected")
    SUBMITTED = "submitted", _("Completion submitted")
    RETURNED = "returned", _("Returned for more work")
    COMPLETED = "completed", pgettext_lazy("task event", "Completed")
    STOPPED = "stopped", pgettext_lazy("task status", "Stopped")
    REASSIGNED = "reassigned", _("Reassigned")
    WARNED = "warned", _("Deadline warning")
    ESCALATED = "escalated", _("Escalated")
    DEESCALATED = "deescalated", _("De-escalated")
    COORDINATION = "coordination", _("Coordination requested")
    COORDINATED = "coordinated", _("Director's coordination recorded")
    PROBLEM_RAISED = "problem_raised", _("Problem raised")
    DECIDED = "decided", _("Decided")
    LINKED = "linked", _("Linked to an earlier decision")
    IMPLEMENTED = "implemented", _("Implementation verified")


class ProblemStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    DECIDED = "decided", pgettext_lazy("problem status", "Decided")
    IMPLEMENTED = "implemented", _("Implemented")


class LessonKind(models.TextChoices):
    PRACTICE = "practice", _("Good practice")
    LESSON = "lesson", _("Lesson learned")


class TalkKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder talk (提醒谈话)")
    INTERVIEW = "interview", _("Interview (约谈)")
    ADMONITION = "admonition", _("Admonition talk (诫勉谈话)")
