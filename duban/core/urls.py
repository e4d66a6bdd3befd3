from django.urls import path

from duban.core import job_views

app_name = "core"
urlpatterns = [
    path("<int:pk>/", job_views.job_detail, name="job_detail"),
]
