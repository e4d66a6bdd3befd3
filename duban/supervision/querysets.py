"""Who sees and changes supervision rows (DESIGN §2).

- Tasks: the lead section's people (a leader: the sections led), the cooperating sections, the owner,
  the responsible leader; the director and the supervision office see the unit.
- Problems and lessons are the unit's shared memory — "decide once" only works if everyone in the unit
  can find the earlier decision — so everyone in the unit reads them; the section that must solve a
  problem (and its leader, the director and the office) changes it.
- Talks are confidential: the director of the unit, the person who talked, the person talked to, and
  the auditor (read-only, for audit). Not the supervision office, not other leaders.
"""

from __future__ import annotations

from django.db.models import Q

from duban.accounts.roles import Role
from duban.core.querysets import ScopedQuerySet
from duban.org.scoping import scope_for


def _none_unless_person(qs, scope):
    return qs if scope.person_id else qs.none()


class TaskQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        if not scope.person_id:
            return self.none()
        if scope.unit_wide:
            return self.filter(unit__in=scope.unit_ids)
        rule = (
            Q(lead_section__in=scope.section_ids)
            | Q(cooperating_sections__in=scope.section_ids)
            | Q(owner=scope.person_id)
            | Q(responsible_leader=scope.person_id)
        )
        return self.filter(id__in=self.model.objects.filter(rule).values("id"))

    def editable_by(self, user):
        """Who may change the task itself (title, deadline, people): the office and the director of
        the unit, the chief and the leader of the lead section. Owners act through the workflow."""
        scope = scope_for(user)
        if not scope.person_id:
            return self.none()
        if scope.unit_wide:
            return self.filter(unit__in=scope.unit_ids)
        return self.filter(
            Q(lead_section__in=scope.section_ids) | Q(responsible_leader=scope.person_id)
        )

    def active(self):
        from duban.supervision.choices import ACTIVE_STATUSES

        return self.filter(status__in=ACTIVE_STATUSES, archived_at__isnull=True)

    def for_list(self):
        return self.select_related("unit", "lead_section", "owner", "responsible_leader")


class TaskChildQuerySet(ScopedQuerySet):
    """Rows of a task (progress, extensions, timeline) follow the task; a problem's timeline follows
    the problem."""

    def visible_to(self, user):
        from duban.supervision.models import Problem, Task

        rule = Q(task__in=Task.objects.visible_to(user))
        if any(f.name == "problem" for f in self.model._meta.fields):
            rule |= Q(problem__in=Problem.objects.visible_to(user))
        return self.filter(rule)


class EscalationQuerySet(TaskChildQuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def for_person(self, person_id):
        """待我协调: the open rungs (level 1 and 2) that name this person."""
        return self.open().filter(to_person=person_id, level__gte=1)


class ProblemQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        return _none_unless_person(self.filter(unit__in=scope.unit_ids), scope)

    def editable_by(self, user):
        scope = scope_for(user)
        if not scope.person_id:
            return self.none()
        rule = scope.business_filter(section_field="section", unit_field="unit")
        if not scope.unit_wide:
            rule |= Q(raised_by=scope.person_id) | Q(solver=scope.person_id)
        return self.filter(unit__in=scope.unit_ids).filter(rule)

    def for_list(self):
        return self.select_related("section", "raised_by", "solver", "decided_by", "same_as")


class LessonQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.all_units:
            return self
        return _none_unless_person(self.filter(unit__in=scope.unit_ids), scope)

    def editable_by(self, user):
        scope = scope_for(user)
        if not scope.person_id:
            return self.none()
        if scope.unit_wide:
            return self.filter(unit__in=scope.unit_ids)
        return self.filter(Q(author=scope.person_id) | Q(section__in=scope.section_ids))

    def for_list(self):
        return self.select_related("section", "author", "problem", "task")


class TalkQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.AUDITOR:
            return self  # read-only, for audit; the auditor has no permission to change a talk
        scope = scope_for(user)
        if not scope.person_id:
            return self.none()
        rule = Q(talker=scope.person_id) | Q(person=scope.person_id)
        if user.role == Role.DIRECTOR:
            rule |= Q(unit=scope.own_unit_id)
        return self.filter(rule)

    def editable_by(self, user):
        """The record is kept by whoever talked (and the director); the person talked to reads it."""
        scope = scope_for(user)
        if not scope.person_id or user.role == Role.AUDITOR:
            return self.none()
        rule = Q(talker=scope.person_id)
        if user.role == Role.DIRECTOR:
            rule |= Q(unit=scope.own_unit_id)
        return self.filter(rule)

    def for_list(self):
        return self.select_related("person", "talker", "unit")
