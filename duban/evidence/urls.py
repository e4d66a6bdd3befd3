from django.urls import path

from duban.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.DocumentListView.as_view(), name="document_list"),
    path("upload/", views.DocumentUploadView.as_view(), name="document_upload"),
    path("<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("<int:pk>/versions/", views.VersionUploadView.as_view(), name="version_upload"),
    path("<int:pk>/archive/", views.DocumentArchiveView.as_view(), name="document_archive"),
    path(
        "versions/<int:pk>/download/",
        views.VersionDownloadView.as_view(),
        name="version_download",
    ),
]
