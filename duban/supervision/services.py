"""State changes of supervised tasks and problems. Each is atomic, locks its row, and writes a line on
the timeline; notifications are queued (the worker sends them after commit, never in the request).

Who may act is decided here, once, for pages and API alike:
- the owner's side (accept, report progress, ask for an extension, submit completion): the owner, the
  chief of the lead section, the supervision office and the director;
- the leader's side (review completion, approve the first extension, ask the director to coordinate):
  the responsible leader and the director; a second extension only the director.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.roles import Role
from duban.core.exceptions import BusinessRuleError
from duban.org.models import Person
from duban.org.scoping import scope_for
from duban.supervision.choices import (
    ACTIVE_STATUSES,
    EventKind,
    ExtensionStatus,
    FeedbackCycle,
    ProblemStatus,
    TaskStatus,
)
from duban.supervision.models import (
    Event,
    ExtensionRequest,
    Policy,
    Problem,
    ProgressReport,
    Task,
)
from duban.workcalendar.services import current_calendar


def _notify(person, *, kind, title, body="", url="", key=None, urgent=False):
    from duban.notifications.services import notify

    if person is not None:
        notify(person, kind=kind, title=title, body=body, url=url, key=key, urgent=urgent)


def _person(user) -> Person | None:
    scope = scope_for(user)
    if not scope.person_id:
        return None
    return Person.objects.filter(pk=scope.person_id).first()


def director_of(unit_id: int) -> Person | None:
    """The unit's director (主要负责人): the in-post person whose account has the director role."""
    return (
        Person.objects.filter(unit_id=unit_id, is_active=True, user__role=Role.DIRECTOR)
        .order_by("id")
        .first()
    )


def _event(user, *, task=None, problem=None, kind, text="", person=None) -> Event:
    return Event.objects.create(
        task=task, problem=problem, kind=kind, text=text, person=person, actor=user
    )


def _lock(task: Task) -> Task:
    locked = Task.objects.select_for_update().get(pk=task.pk)
    if locked.version != task.version:
        from duban.core.exceptions import StaleEditError

        raise StaleEditError(task)
    return locked


# --- who may act --------------------------------------------------------------------------------


def is_owner_side(user, task: Task) -> bool:
    scope = scope_for(user)
    if not scope.person_id or task.unit_id not in scope.unit_ids:
        return False
    if task.owner_id == scope.person_id:
        return True
    # The supervision office keeps ledgers for the sections (it may record on their behalf); the
    # director and the leaders act on the leader's side, not as the owner.
    if user.role == Role.OFFICE:
        return True
    return user.role == Role.CHIEF and task.lead_section_id == scope.own_section_id


def is_leader_side(user, task: Task) -> bool:
    scope = scope_for(user)
    if not scope.person_id or task.unit_id not in scope.unit_ids:
        return False
    if user.role == Role.DIRECTOR:
        return True
    return task.responsible_leader_id == scope.person_id


def can_stop(user, task: Task) -> bool:
    """Stopping a task cancels what the unit decided: the office that registers tasks and the
    director, not the section that has to do it."""
    scope = scope_for(user)
    return (
        user.role in (Role.OFFICE, Role.DIRECTOR)
        and user.has_perm("supervision.change_task")
        and task.unit_id in scope.unit_ids
    )


def is_director(user, unit_id: int) -> bool:
    scope = scope_for(user)
    return user.role == Role.DIRECTOR and unit_id in scope.unit_ids


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise BusinessRuleError(message)


# --- numbers, deadlines and the feedback cycle ----------------------------------------------------


def next_seq(unit_id: int, year: int) -> int:
    """The next number of the unit's year; the unique constraint is the backstop under concurrency."""
    from duban.org.models import Unit

    Unit.objects.select_for_update().filter(pk=unit_id).first()
    top = Task.objects.filter(unit_id=unit_id, year=year).aggregate(m=Max("seq"))["m"]
    return (top or 0) + 1


def deadline_from_workdays(assigned_on: dt.date, workdays: int) -> dt.date:
    """The N-th working day after the day of assignment ("N working days from assignment").

    Raises BusinessRuleError (field assigned_on) for a date the calendar does not cover, so a typo
    such as 2206 for 2026 is a form error, not a crash."""
    if not 2000 <= assigned_on.year <= 2100:
        raise BusinessRuleError(_("Enter a date between 2000 and 2100."), field="assigned_on")
    return current_calendar().add_workdays(assigned_on, workdays)


def cycle_end(cycle: str, weekday: int, day: dt.date) -> dt.date | None:
    """The report due date of the cycle containing `day`, moved back to a working day."""
    calendar = current_calendar()
    if cycle == FeedbackCycle.WEEKLY:
        due = day + dt.timedelta(days=weekday - day.weekday())
    elif cycle == FeedbackCycle.MONTHLY:
        first_next = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        due = first_next - dt.timedelta(days=1)
    else:
        return None
    if not calendar.is_workday(due):
        due = calendar.add_workdays(due + dt.timedelta(days=1), -1)
    return due


def feedback_due_from(task: Task, day: dt.date) -> dt.date | None:
    """The first report date on or after `day`: the end of day's cycle, or of the next one."""
    due = cycle_end(task.feedback_cycle, task.feedback_weekday, day)
    if due is not None and due < day:
        due = cycle_end(task.feedback_cycle, task.feedback_weekday, _step(task, day))
    return due


def first_feedback_due(task: Task) -> dt.date | None:
    return feedback_due_from(task, task.assigned_on)


def _step(task: Task, reference: dt.date) -> dt.date:
    """A day in the following cycle: a week later, or the first of the next month."""
    if task.feedback_cycle == FeedbackCycle.WEEKLY:
        return reference + dt.timedelta(days=7)
    return (reference.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def feedback_due_after(task: Task, reported_on: dt.date) -> dt.date | None:
    """A report satisfies the report that was due (however late); the next is due at the end of the
    following cycle, and never on or before the day of this report.

    The reference day steps on its own: a due date moved back over a holiday (Friday 2026-02-20 →
    the make-up Saturday 02-14) must not be stepped from, or the same cycle comes back forever.
    """
    if task.feedback_cycle not in (FeedbackCycle.WEEKLY, FeedbackCycle.MONTHLY):
        return None
    reference = task.feedback_due or reported_on
    while True:
        reference = _step(task, reference)
        due = cycle_end(task.feedback_cycle, task.feedback_weekday, reference)
        if due > reported_on:
            return due


# --- tasks ----------------------------------------------------------------------------------------


@transaction.atomic
def register_task(user, task: Task, cooperating=(), notify_owner: bool = True) -> Task:
    """Register a new task: its number, the responsible leader if not chosen, the deadline (a date, or
    N working days from assignment), the first report date. A past deadline is accepted: the task is
    overdue at once (an item registered late)."""
    if task.deadline_workdays:
        task.deadline = deadline_from_workdays(task.assigned_on, task.deadline_workdays)
    _require(task.deadline is not None, _("Give a deadline or a number of working days."))
    if task.responsible_leader_id is None and task.lead_section_id:
        task.responsible_leader = task.lead_section.current_leader
    task.year = task.assigned_on.year
    task.seq = next_seq(task.unit_id, task.year)
    task.prefix = Policy.for_unit(task.unit_id).number_prefix
    task.feedback_due = first_feedback_due(task)
    task.save()
    if cooperating:
        task.cooperating_sections.set(cooperating)
    _event(user, task=task, kind=EventKind.CREATED, person=task.owner)
    if not notify_owner:
        return task
    _notify(
        task.owner,
        kind="supervision.assigned",
        title=_("New supervised task %(number)s: %(title)s") % _names(task),
        body=_("Deadline %(deadline)s.") % {"deadline": task.deadline},
        url=task.get_absolute_url(),
        key=f"task:{task.pk}:assigned",
        urgent=task.urgent,
    )
    return task


def _names(task: Task) -> dict:
    return {"number": task.number, "title": task.title}


@transaction.atomic
def accept(user, task: Task) -> Task:
    task = _lock(task)
    _require(is_owner_side(user, task), _("Only the owner's side can accept this task."))
    _require(task.status == TaskStatus.PENDING, _("This task has already been accepted."))
    task.status = TaskStatus.IN_PROGRESS
    task.accepted_on = timezone.localdate()
    task.save()
    _event(user, task=task, kind=EventKind.ACCEPTED)
    return task


@transaction.atomic
def report_progress(user, task: Task, report: ProgressReport, documents=()) -> ProgressReport:
    task = _lock(task)
    _require(is_owner_side(user, task), _("Only the owner's side can report progress."))
    _require(
        task.status in ACTIVE_STATUSES,
        _("Progress can be reported only while the task is being handled."),
    )
    report.task = task
    report.author = _person(user)
    report.save()
    if documents:
        report.documents.set(documents)
    if task.status == TaskStatus.PENDING:  # reporting progress is accepting it
        task.status = TaskStatus.IN_PROGRESS
        task.accepted_on = report.reported_on
    task.feedback_due = feedback_due_after(task, report.reported_on)
    task.save()
    text = report.text if report.percent is None else f"{report.percent}%：{report.text}"
    _event(user, task=task, kind=EventKind.PROGRESS, text=text)
    from duban.supervision.escalation import reevaluate

    reevaluate(task)
    return report


@transaction.atomic
def request_extension(user, task: Task, new_deadline: dt.date, reason: str) -> ExtensionRequest:
    task = _lock(task)
    today = timezone.localdate()
    _require(is_owner_side(user, task), _("Only the owner's side can ask for an extension."))
    _require(task.status in ACTIVE_STATUSES, _("This task is not being handled."))
    _require(
        today <= task.deadline,
        _("An extension must be requested before the deadline; this task is already overdue."),
    )
    _require(bool(reason and reason.strip()), _("Give the reason for the extension."))
    _require(new_deadline > task.deadline, _("The new deadline must be after the current one."))
    _require(
        not task.extensions.filter(status=ExtensionStatus.PENDING).exists(),
        _("An extension request is already waiting for approval."),
    )
    ordinal = task.extension_count + 1
    approver = task.responsible_leader if ordinal == 1 else director_of(task.unit_id)
    if approver is None:
        approver = director_of(task.unit_id)
    extension = ExtensionRequest.objects.create(
        task=task,
        ordinal=ordinal,
        requested_by=_person(user) or task.owner,
        requested_on=today,
        old_deadline=task.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        approver=approver,
    )
    _event(
        user,
        task=task,
        kind=EventKind.EXTENSION_REQUESTED,
        text=_("Extension %(n)s to %(date)s: %(reason)s")
        % {"n": ordinal, "date": new_deadline, "reason": extension.reason},
        person=approver,
    )
    _notify(
        approver,
        kind="supervision.extension_requested",
        title=_("Extension requested for %(number)s: %(title)s") % _names(task),
        body=extension.reason,
        url=task.get_absolute_url(),
        key=f"extension:{extension.pk}:requested",
    )
    from duban.supervision.escalation import reevaluate

    reevaluate(task)
    return extension


@transaction.atomic
def decide_extension(user, extension: ExtensionRequest, approve: bool, note: str = "") -> Task:
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    task = Task.objects.select_for_update().get(pk=extension.task_id)
    _require(
        extension.status == ExtensionStatus.PENDING, _("This request has already been decided.")
    )
    _require(task.status in ACTIVE_STATUSES, _("This task is not being handled."))
    if extension.ordinal >= 2:
        _require(
            is_director(user, task.unit_id), _("A second extension is approved by the director.")
        )
    else:
        _require(is_leader_side(user, task), _("The responsible leader approves an extension."))
    _require(approve or bool(note.strip()), _("Say why the extension is not approved."))
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    extension.decided_by = user
    extension.decided_on = timezone.localdate()
    extension.decision_note = note[:300]
    extension.save()
    if approve:
        task.deadline = extension.new_deadline
        task.extension_count = extension.ordinal
        task.save()
    _event(
        user,
        task=task,
        kind=EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REJECTED,
        text=note,
    )
    _notify(
        task.owner,
        kind="supervision.extension_decided",
        title=(
            _("Extension approved for %(number)s: %(title)s")
            if approve
            else _("Extension rejected for %(number)s: %(title)s")
        )
        % _names(task),
        body=note,
        url=task.get_absolute_url(),
        key=f"extension:{extension.pk}:decided",
    )
    from duban.supervision.escalation import reevaluate

    reevaluate(task)
    return task


def _close_pending_extensions(user, task: Task, note: str) -> None:
    """A closed task keeps no request waiting: it could otherwise move a finished task's deadline."""
    ExtensionRequest.objects.filter(task=task, status=ExtensionStatus.PENDING).update(
        status=ExtensionStatus.WITHDRAWN,
        decided_by=user,
        decided_on=timezone.localdate(),
        decision_note=str(note)[:300],
    )


@transaction.atomic
def submit_completion(user, task: Task, result: str, documents=()) -> Task:
    task = _lock(task)
    _require(is_owner_side(user, task), _("Only the owner's side can submit completion."))
    _require(task.status in ACTIVE_STATUSES, _("This task is not being handled."))
    _require(bool(result and result.strip()), _("Describe what was done."))
    report = ProgressReport.objects.create(
        task=task, text=result.strip(), percent=100, author=_person(user)
    )
    if documents:
        report.documents.set(documents)
    task.status = TaskStatus.REVIEW
    task.submitted_on = timezone.localdate()
    task.feedback_due = None  # nothing to report while the leader reviews
    task.result = result.strip()
    task.accepted_on = task.accepted_on or task.submitted_on
    task.save()
    _event(user, task=task, kind=EventKind.SUBMITTED, text=task.result)
    reviewer = task.responsible_leader or director_of(task.unit_id)
    _notify(
        reviewer,
        kind="supervision.review",
        title=_("Completion submitted for review: %(number)s %(title)s") % _names(task),
        url=task.get_absolute_url(),
        key=f"task:{task.pk}:submitted:{task.version}",
    )
    from duban.supervision.escalation import reevaluate

    reevaluate(task)
    return task


@transaction.atomic
def review(user, task: Task, approve: bool, note: str = "") -> Task:
    task = _lock(task)
    _require(is_leader_side(user, task), _("The responsible leader reviews completion."))
    _require(task.status == TaskStatus.REVIEW, _("Nothing is waiting for review."))
    if approve:
        task.status = TaskStatus.DONE
        task.completed_on = timezone.localdate()
    else:
        _require(bool(note.strip()), _("Say what is missing."))
        task.status = TaskStatus.IN_PROGRESS
        task.submitted_on = None
        # Back at work: reports resume from this cycle; the days under review are not late.
        task.feedback_due = feedback_due_from(task, timezone.localdate())
    task.save()
    if approve:
        _close_pending_extensions(user, task, _("The task is completed."))
    _event(user, task=task, kind=EventKind.COMPLETED if approve else EventKind.RETURNED, text=note)
    _notify(
        task.owner,
        kind="supervision.reviewed",
        title=(
            _("Completed: %(number)s %(title)s") if approve else _("Returned: %(number)s %(title)s")
        )
        % _names(task),
        body=note,
        url=task.get_absolute_url(),
        key=f"task:{task.pk}:reviewed:{task.version}",
    )
    from duban.supervision.escalation import reevaluate

    reevaluate(task)
    return task


@transaction.atomic
def stop(user, task: Task, reason: str) -> Task:
    task = _lock(task)
    _require(can_stop(user, task), _("You cannot stop this task."))
    _require(task.status != TaskStatus.DONE, _("A completed task cannot be stopped."))
    _require(task.status != TaskStatus.STOPPED, _("This task is already stopped."))
    _require(bool(reason and reason.strip()), _("Give the reason for stopping."))
    task.status = TaskStatus.STOPPED
    task.stop_reason = reason.strip()[:300]
    task.save()
    _close_pending_extensions(user, task, _("The task is stopped."))
    _event(user, task=task, kind=EventKind.STOPPED, text=task.stop_reason)
    from duban.supervision.escalation import reevaluate

    reevaluate(task)
    return task


@transaction.atomic
def request_coordination(user, task: Task, note: str) -> Task:
    """The leader asks the director to coordinate (level 2 at once)."""
    task = _lock(task)
    _require(
        task.responsible_leader_id is not None
        and task.responsible_leader_id == scope_for(user).person_id,
        _("The responsible leader asks the director to coordinate."),
    )
    _require(task.status in ACTIVE_STATUSES, _("This task is not being handled."))
    _require(task.coordination_requested_on is None, _("Coordination is already requested."))
    _require(bool(note.strip()), _("Say what the director should coordinate."))
    task.coordination_requested_on = timezone.localdate()
    task.save()
    _event(user, task=task, kind=EventKind.COORDINATION, text=note.strip())
    from duban.supervision.escalation import reevaluate

    reevaluate(task)
    return task


@transaction.atomic
def record_edit(user, before: Task, task: Task) -> None:
    """After the task itself was edited (page or API): what follows from the change.

    A new owner or responsible leader is written on the timeline and told; the open level-1 rung and
    a waiting first extension move to the new leader; a changed report cycle restarts from today."""
    today = timezone.localdate()
    if task.owner_id != before.owner_id:
        _event(
            user,
            task=task,
            kind=EventKind.REASSIGNED,
            person=task.owner,
            text=_("Owner: %(old)s → %(new)s") % {"old": before.owner, "new": task.owner},
        )
        _notify(
            task.owner,
            kind="supervision.assigned",
            title=_("New supervised task %(number)s: %(title)s") % _names(task),
            body=_("Deadline %(deadline)s.") % {"deadline": task.deadline},
            url=task.get_absolute_url(),
            key=f"task:{task.pk}:assigned:{task.owner_id}:{task.version}",
        )
    if task.responsible_leader_id != before.responsible_leader_id:
        _event(
            user,
            task=task,
            kind=EventKind.REASSIGNED,
            person=task.responsible_leader,
            text=_("Responsible leader: %(old)s → %(new)s")
            % {"old": before.responsible_leader or "—", "new": task.responsible_leader or "—"},
        )
        from duban.supervision.models import Escalation

        new_leader = task.responsible_leader_id or getattr(director_of(task.unit_id), "pk", None)
        Escalation.objects.filter(task=task, level=1, resolved_at__isnull=True).update(
            to_person=new_leader
        )
        ExtensionRequest.objects.filter(
            task=task, status=ExtensionStatus.PENDING, ordinal=1
        ).update(approver=new_leader)
    if (task.feedback_cycle, task.feedback_weekday) != (
        before.feedback_cycle,
        before.feedback_weekday,
    ) and task.status in ACTIVE_STATUSES:
        Task.objects.filter(pk=task.pk).update(feedback_due=feedback_due_from(task, today))
    from duban.supervision.escalation import reevaluate

    reevaluate(task)


@transaction.atomic
def record_coordination(user, task: Task, instruction: str) -> Task:
    """The director answers a coordination request (协调意见/批示): on the timeline, told to the owner
    and the leader; the request is settled, so the level-2 rung it opened is resolved (an overdue
    task stays escalated by its lateness)."""
    task = _lock(task)
    _require(is_director(user, task.unit_id), _("The director records the coordination."))
    _require(
        task.coordination_requested_on is not None, _("No coordination is waiting on this task.")
    )
    _require(bool(instruction.strip()), _("Write the director's instruction."))
    task.coordination_requested_on = None
    task.save()
    _event(user, task=task, kind=EventKind.COORDINATED, text=instruction.strip())
    for person in {task.owner, task.responsible_leader} - {None}:
        _notify(
            person,
            kind="supervision.coordinated",
            title=_("The director's instruction on %(number)s: %(title)s") % _names(task),
            body=instruction.strip(),
            url=task.get_absolute_url(),
            key=f"task:{task.pk}:coordinated:{task.version}",
        )
    from duban.supervision.escalation import reevaluate

    reevaluate(task)
    return task


# --- problems -----------------------------------------------------------------------------------


@transaction.atomic
def raise_problem(user, problem: Problem) -> Problem:
    problem.raised_by = problem.raised_by or _person(user)
    if problem.task_id and not problem.section_id:
        problem.section_id = problem.task.lead_section_id
    problem.save()
    _event(user, problem=problem, kind=EventKind.PROBLEM_RAISED, text=problem.title)
    if problem.task_id:
        _event(user, task=problem.task, kind=EventKind.PROBLEM_RAISED, text=problem.title)
    if problem.same_as_id:
        _copy_decision(user, problem, problem.same_as)
    return problem


def _copy_decision(user, problem: Problem, earlier: Problem) -> None:
    earlier = earlier.same_as or earlier  # always point at the original decision
    _require(earlier.pk != problem.pk, _("A problem cannot be the same as itself."))
    _require(
        earlier.status != ProblemStatus.PENDING,
        _("The earlier problem has not been decided yet; it cannot lend its decision."),
    )
    problem.same_as = earlier
    problem.decision = earlier.decision
    problem.decided_by = earlier.decided_by
    problem.decided_on = earlier.decided_on
    problem.meeting_ref = earlier.meeting_ref
    problem.status = ProblemStatus.DECIDED
    problem.save()
    _event(
        user,
        problem=problem,
        kind=EventKind.LINKED,
        text=_("Same as “%(title)s”: %(decision)s")
        % {"title": earlier.title, "decision": earlier.decision},
    )
    from duban.supervision.escalation import reevaluate_problem

    reevaluate_problem(problem)


def _lock_problem(problem: Problem) -> Problem:
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    if locked.version != problem.version:
        from duban.core.exceptions import StaleEditError

        raise StaleEditError(problem)
    return locked


def can_decide(user, problem: Problem) -> bool:
    return user.has_perm("supervision.decide_problem") and (
        Problem.objects.editable_by(user).filter(pk=problem.pk).exists()
    )


@transaction.atomic
def link_to_earlier(user, problem: Problem, earlier: Problem) -> Problem:
    problem = _lock_problem(problem)
    _require(
        Problem.objects.editable_by(user).filter(pk=problem.pk).exists(),
        _("You cannot change this problem."),
    )
    _require(problem.status == ProblemStatus.PENDING, _("This problem is already decided."))
    _copy_decision(user, problem, earlier)
    return problem


@transaction.atomic
def decide(
    user, problem: Problem, decision: str, decided_on: dt.date, meeting_ref: str = ""
) -> Problem:
    problem = _lock_problem(problem)
    _require(can_decide(user, problem), _("You cannot record a decision on this problem."))
    _require(problem.status == ProblemStatus.PENDING, _("This problem is already decided."))
    _require(bool(decision.strip()), _("Write the decision."))
    if decided_on > timezone.localdate() or decided_on.year < 2000:
        raise BusinessRuleError(
            _("A decision is dated between 2000 and today."), field="decided_on"
        )
    problem.decision = decision.strip()
    problem.decided_by = _person(user)
    problem.decided_on = decided_on
    problem.meeting_ref = meeting_ref.strip()
    problem.status = ProblemStatus.DECIDED
    problem.save()
    _event(user, problem=problem, kind=EventKind.DECIDED, text=problem.decision)
    if problem.task_id:
        _event(user, task=problem.task, kind=EventKind.DECIDED, text=problem.title)
    for person in {problem.raised_by, problem.solver} - {None}:
        _notify(
            person,
            kind="supervision.problem_decided",
            title=_("Decision on the problem “%(title)s”") % {"title": problem.title},
            body=problem.decision,
            url=problem.get_absolute_url(),
            key=f"problem:{problem.pk}:decided",
        )
    from duban.supervision.escalation import reevaluate_problem

    reevaluate_problem(problem)
    if problem.task_id:
        from duban.supervision.escalation import reevaluate

        reevaluate(problem.task)
    return problem


@transaction.atomic
def verify(user, problem: Problem, implementation: str) -> Problem:
    problem = _lock_problem(problem)
    _require(
        user.has_perm("supervision.verify_problem")
        and Problem.objects.editable_by(user).filter(pk=problem.pk).exists(),
        _("You cannot verify this problem."),
    )
    _require(
        problem.status == ProblemStatus.DECIDED,
        _("Only a decided problem can be verified as implemented."),
    )
    _require(bool(implementation.strip()), _("Say how the decision was implemented."))
    problem.implementation = implementation.strip()
    problem.verified_by = _person(user)
    problem.verified_on = timezone.localdate()
    problem.status = ProblemStatus.IMPLEMENTED
    problem.save()
    _event(user, problem=problem, kind=EventKind.IMPLEMENTED, text=problem.implementation)
    return problem


# --- the Excel import of an existing ledger (supervision/imports.py) -------------------------------


@transaction.atomic
def settle_imported(user, task: Task, status: str, completed_on: dt.date | None = None) -> Task:
    """Bring a task just registered from an imported ledger to the state the ledger records
    (待签收, 办理中 or 已办结 on a date), with a line on its timeline. Reports the office never asked
    for before the import are not counted as late: the first report is due at the end of the
    current cycle."""
    task = _lock(task)
    today = timezone.localdate()
    if status == TaskStatus.DONE:
        _require(completed_on is not None, _("Give the date the task was completed."))
        task.status = TaskStatus.DONE
        task.accepted_on = task.accepted_on or task.assigned_on
        task.submitted_on = completed_on
        task.completed_on = completed_on
        task.feedback_due = None
        task.save()
        _event(
            user,
            task=task,
            kind=EventKind.COMPLETED,
            text=_("Completed on %(date)s (imported from the ledger).") % {"date": completed_on},
        )
        return task
    _require(status in ACTIVE_STATUSES, _("An imported task is pending, in progress or completed."))
    due = cycle_end(task.feedback_cycle, task.feedback_weekday, today)
    if due is not None and due < today:
        due = cycle_end(task.feedback_cycle, task.feedback_weekday, due + dt.timedelta(days=7))
    if task.feedback_due is not None and task.feedback_due < today:
        task.feedback_due = due
    if status == TaskStatus.IN_PROGRESS:
        task.status = TaskStatus.IN_PROGRESS
        task.accepted_on = task.accepted_on or task.assigned_on
        task.save()
        _event(user, task=task, kind=EventKind.ACCEPTED, text=_("Imported from the ledger."))
    else:
        task.save()
    return task
