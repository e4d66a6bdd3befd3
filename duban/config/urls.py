from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from duban.core.views import healthz

urlpatterns = [
    path("", include("duban.cockpit.urls")),
    path("jobs/", include("duban.core.urls")),
    path("accounts/", include("duban.accounts.urls")),
    path("org/", include("duban.org.urls")),
    path("calendar/", include("duban.workcalendar.urls")),
    path("audit/", include("duban.audit.urls")),
    path("evidence/", include("duban.evidence.urls")),
    path("assessment/", include("duban.assessment.urls")),
    path("projects/", include("duban.projects.urls")),
    path("supervision/", include("duban.supervision.urls")),
    path("notifications/", include("duban.notifications.urls")),
    path("api/v1/", include("duban.config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("healthz", healthz, name="healthz"),
]

handler403 = "duban.core.views.permission_denied"
handler404 = "duban.core.views.page_not_found"
handler500 = "duban.core.views.server_error"
