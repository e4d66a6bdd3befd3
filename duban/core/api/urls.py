from django.urls import path

from duban.core.api.views import JobDetailView

urlpatterns = [path("<int:pk>/", JobDetailView.as_view(), name="api-job-detail")]
