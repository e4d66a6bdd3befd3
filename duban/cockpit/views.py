from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from duban.accounts.roles import Role
from duban.assessment.tiles import assessment_tiles
from duban.cockpit import tiles
from duban.projects.tiles import project_tiles
from duban.supervision.tiles import supervision_tiles


@login_required
def home(request):
    """The director's page for business users; a short desk for each administrator role."""
    user = request.user
    if user.role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR):
        return render(request, "cockpit/admin_home.html", {"title": _("Home")})
    context = {"title": _("Home"), **tiles.unit_tile(user), **tiles.holidays_tile(user)}
    context.update(tiles.sections_tile(user))
    context.update(assessment_tiles(user))
    context.update(project_tiles(user))
    context.update(supervision_tiles(user))
    return render(request, "cockpit/home.html", context)
