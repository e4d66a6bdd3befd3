"""The REST API under /api/v1/: each app contributes its own router."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("duban.accounts.api.urls")),
    path("org/", include("duban.org.api.urls")),
    path("calendar/", include("duban.workcalendar.api.urls")),
    path("audit/", include("duban.audit.api.urls")),
    path("jobs/", include("duban.core.api.urls")),
    path("evidence/", include("duban.evidence.api.urls")),
    path("assessment/", include("duban.assessment.api.urls")),
    path("projects/", include("duban.projects.api.urls")),
    path("supervision/", include("duban.supervision.api.urls")),
    path("notifications/", include("duban.notifications.api.urls")),
]
