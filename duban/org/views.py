from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from duban.core.exceptions import BusinessRuleError
from duban.core.jobs import start_job
from duban.core.views import (
    ObjectArchiveView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    PermissionRequiredMixin,
)
from duban.org import imports, services
from duban.org.filtersets import (
    LeaderAssignmentFilterSet,
    PersonFilterSet,
    SectionFilterSet,
    UnitFilterSet,
)
from duban.org.forms import AssignLeaderForm, PeopleImportForm, PersonForm, SectionForm, UnitForm
from duban.org.models import LeaderAssignment, Person, Section, Unit
from duban.org.tables import LeaderAssignmentTable, PersonTable, SectionTable, UnitTable


# Units ---------------------------------------------------------------------------------------------
class UnitListView(ObjectListView):
    permission = "org.view_unit"
    queryset = Unit.objects.all()
    table_class = UnitTable
    filterset_class = UnitFilterSet
    title = gettext_lazy("Units")
    add_url_name = "org:unit_add"
    add_permission = "org.add_unit"


class UnitDetailView(ObjectDetailView):
    permission = "org.view_unit"
    queryset = Unit.objects.all()
    template_name = "org/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["children"] = Unit.objects.visible_to(user).filter(parent=self.object)
        context["sections"] = (
            Section.objects.visible_to(user).active().for_list().filter(unit=self.object)
        )
        return context


class UnitCreateView(ObjectCreateView):
    permission = "org.add_unit"
    queryset = Unit.objects.all()
    form_class = UnitForm


class UnitUpdateView(ObjectUpdateView):
    permission = "org.change_unit"
    queryset = Unit.objects.all()
    form_class = UnitForm


# Sections ------------------------------------------------------------------------------------------
class SectionListView(ObjectListView):
    permission = "org.view_section"
    queryset = Section.objects.all()
    table_class = SectionTable
    filterset_class = SectionFilterSet
    title = gettext_lazy("Sections")
    add_url_name = "org:section_add"
    add_permission = "org.add_section"

    def get_queryset(self):
        queryset = super().get_queryset()
        if "archived" not in self.request.GET:
            queryset = queryset.active()
        return queryset


class SectionDetailView(ObjectDetailView):
    permission = "org.view_section"
    queryset = Section.objects.all()
    template_name = "org/section_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        section = self.object
        context["people"] = section.people.filter(is_active=True).select_related("user")
        context["assignments"] = section.leader_assignments.select_related("leader")
        if self.request.user.has_perm("org.add_leaderassignment"):
            context["assign_form"] = AssignLeaderForm(section)
        return context


class SectionCreateView(ObjectCreateView):
    permission = "org.add_section"
    queryset = Section.objects.all()
    form_class = SectionForm


class SectionUpdateView(ObjectUpdateView):
    permission = "org.change_section"
    queryset = Section.objects.all()
    form_class = SectionForm


class SectionArchiveView(ObjectArchiveView):
    permission = "org.change_section"
    queryset = Section.objects.all()


class AssignLeaderView(PermissionRequiredMixin, View):
    """Change a section's leader in charge; the previous assignment is closed, not overwritten."""

    permission = "org.add_leaderassignment"

    def post(self, request, pk):
        section = get_object_or_404(Section.objects.visible_to(request.user).active(), pk=pk)
        form = AssignLeaderForm(section, request.POST)
        if form.is_valid():
            try:
                services.assign_leader(
                    section,
                    form.cleaned_data["leader"],
                    form.cleaned_data["start_date"],
                    form.cleaned_data["note"],
                )
            except BusinessRuleError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("The leader in charge has been changed."))
                return redirect(section)
        return render(
            request,
            "org/section_detail.html",
            {
                "object": section,
                "section": section,
                "people": section.people.filter(is_active=True).select_related("user"),
                "assignments": section.leader_assignments.select_related("leader"),
                "assign_form": form,
                "title": str(section),
            },
            status=400,
        )


# People --------------------------------------------------------------------------------------------
class PersonListView(ObjectListView):
    permission = "org.view_person"
    queryset = Person.objects.all()
    table_class = PersonTable
    filterset_class = PersonFilterSet
    title = gettext_lazy("People")
    add_url_name = "org:person_add"
    add_permission = "org.add_person"
    extra_actions = [("org:person_import", gettext_lazy("Import from Excel"), "org.import_person")]


class PersonDetailView(ObjectDetailView):
    permission = "org.view_person"
    queryset = Person.objects.all()
    template_name = "org/person_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["led"] = self.object.led_assignments.select_related("section").order_by(
            "-start_date"
        )
        return context


class PersonCreateView(ObjectCreateView):
    permission = "org.add_person"
    queryset = Person.objects.all()
    form_class = PersonForm


class PersonUpdateView(ObjectUpdateView):
    permission = "org.change_person"
    queryset = Person.objects.all()
    form_class = PersonForm


class PeopleImportView(PermissionRequiredMixin, View):
    permission = "org.import_person"
    template_name = "org/person_import.html"

    def get(self, request):
        return render(
            request, self.template_name, {"form": PeopleImportForm(), "title": _("Import people")}
        )

    def post(self, request):
        form = PeopleImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, self.template_name, {"form": form, "title": _("Import people")}, status=400
            )
        job = start_job(
            "org.import_people",
            request.user,
            _("Import people from %(name)s") % {"name": form.cleaned_data["file"].name},
            input_file=form.cleaned_data["file"],
        )
        return redirect(job)


class PeopleImportTemplateView(PermissionRequiredMixin, View):
    permission = "org.import_person"

    def get(self, request):
        return FileResponse(
            imports.people_template(), as_attachment=True, filename=_("people-import-template.xlsx")
        )


# Leader assignments --------------------------------------------------------------------------------
class LeaderAssignmentListView(ObjectListView):
    permission = "org.view_leaderassignment"
    queryset = LeaderAssignment.objects.all()
    table_class = LeaderAssignmentTable
    filterset_class = LeaderAssignmentFilterSet
    title = gettext_lazy("Leaders in charge")
