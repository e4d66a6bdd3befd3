from django.urls import path

from duban.org import views

app_name = "org"
urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/add/", views.UnitCreateView.as_view(), name="unit_add"),
    path("units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_edit"),
    path("sections/", views.SectionListView.as_view(), name="section_list"),
    path("sections/add/", views.SectionCreateView.as_view(), name="section_add"),
    path("sections/<int:pk>/", views.SectionDetailView.as_view(), name="section_detail"),
    path("sections/<int:pk>/edit/", views.SectionUpdateView.as_view(), name="section_edit"),
    path("sections/<int:pk>/archive/", views.SectionArchiveView.as_view(), name="section_archive"),
    path(
        "sections/<int:pk>/leader/", views.AssignLeaderView.as_view(), name="section_assign_leader"
    ),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/add/", views.PersonCreateView.as_view(), name="person_add"),
    path("people/import/", views.PeopleImportView.as_view(), name="person_import"),
    path(
        "people/import/template/",
        views.PeopleImportTemplateView.as_view(),
        name="person_import_template",
    ),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_edit"),
    path("leaders/", views.LeaderAssignmentListView.as_view(), name="assignment_list"),
]
