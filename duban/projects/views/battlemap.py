"""挂图作战: the battle map page (a portfolio Gantt that prints on A3 or as an A0 poster) and its
Excel wall sheet, both with the project list's filters."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from duban.core.views import PermissionRequiredMixin
from duban.projects import battlemap
from duban.projects.filtersets import ProjectFilterSet
from duban.projects.models import Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _BattleMapMixin(PermissionRequiredMixin):
    permission = "projects.view_project"

    def selection(self):
        """(filterset, projects, focused project or None, show the baseline) from the query string.

        `?project=<pk>` focuses one project the user may see (the other filters then do not apply);
        `?baseline=none` hides the approved plan's bars.
        """
        request = self.request
        projects = Project.objects.visible_to(request.user).active().for_list()
        filterset = ProjectFilterSet(request.GET or None, queryset=projects, request=request)
        focus = None
        raw = request.GET.get("project")
        if raw:
            try:
                focus = projects.get(pk=int(raw))
            except (ValueError, Project.DoesNotExist) as error:
                raise Http404(_("No such project.")) from error
            selected = projects.filter(pk=focus.pk)
        else:
            selected = filterset.qs
        show_baseline = request.GET.get("baseline", "latest") != "none"
        return filterset, selected, focus, show_baseline


class BattleMapView(_BattleMapMixin, View):
    def get(self, request):
        filterset, selected, focus, show_baseline = self.selection()
        data = battlemap.build(selected, timezone.localdate(), show_baseline)
        poster = request.GET.get("poster") == "1"
        query = request.GET.copy()
        query.pop("poster", None)
        baseline_query = request.GET.copy()
        baseline_query["baseline"] = "latest" if not show_baseline else "none"
        return render(
            request,
            "projects/battlemap/battlemap.html",
            {
                "title": _("Battle map"),
                "filter": filterset,
                "focus": focus,
                "battlemap": data,
                "chart": data.chart_data(focus.pk if focus else None, poster),
                "poster": poster,
                "show_baseline": show_baseline,
                "query": query.urlencode(),
                "baseline_query": baseline_query.urlencode(),
                "unscheduled": [row for row in data.rows if row.errors],
            },
        )


class BattleMapExportView(_BattleMapMixin, View):
    def get(self, request):
        _filterset, selected, _focus, show_baseline = self.selection()
        as_of = timezone.localdate()
        content = battlemap.workbook(battlemap.build(selected, as_of, show_baseline))
        response = HttpResponse(content, content_type=XLSX)
        filename = f"{_('Battle map')}-{as_of:%Y%m%d}.xlsx"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


urlpatterns = [
    path("battlemap/", BattleMapView.as_view(), name="battlemap"),
    path("battlemap/export.xlsx", BattleMapExportView.as_view(), name="battlemap_xlsx"),
]
