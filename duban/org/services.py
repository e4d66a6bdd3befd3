"""Changes to the organisation that are more than a form save."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.exceptions import BusinessRuleError
from duban.org.models import LeaderAssignment, Person, Section


@transaction.atomic
def assign_leader(
    section: Section, leader: Person, start_date: dt.date, note: str = ""
) -> LeaderAssignment:
    """Make `leader` the section's leader in charge from `start_date`; the previous one ends the day before."""
    section = Section.objects.select_for_update().get(pk=section.pk)
    if leader.unit_id != section.unit_id:
        raise BusinessRuleError(_("The leader must belong to the section's unit."), field="leader")
    if not leader.is_active:
        raise BusinessRuleError(_("This person is no longer in post."), field="leader")
    current = LeaderAssignment.objects.filter(section=section, end_date__isnull=True).first()
    if current is not None:
        if current.leader_id == leader.pk:
            raise BusinessRuleError(_("This person already leads the section."), field="leader")
        if start_date <= current.start_date:
            raise BusinessRuleError(
                _("The new assignment must start after the current one (%(date)s).")
                % {"date": current.start_date.isoformat()},
                field="start_date",
            )
        current.end_date = start_date - dt.timedelta(days=1)
        current.save()
    return LeaderAssignment.objects.create(
        section=section, leader=leader, start_date=start_date, note=note
    )


def sync_account(person: Person) -> None:
    """A person who is no longer in post can no longer sign in."""
    user = person.user
    if user is not None and not person.is_active and user.is_active:
        user.is_active = False
        user.save()


@transaction.atomic
def end_leadership(assignment: LeaderAssignment, end_date: dt.date) -> None:
    if assignment.end_date is not None:
        raise BusinessRuleError(_("This assignment has already ended."))
    if end_date < assignment.start_date:
        raise BusinessRuleError(_("The end date is before the start date."), field="end_date")
    assignment.end_date = end_date
    assignment.save()
