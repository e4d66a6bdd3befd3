from django.urls import path

from duban.audit import views

app_name = "audit"
urlpatterns = [
    path("changes/", views.ObjectChangeListView.as_view(), name="change_list"),
    path("changes/<int:pk>/", views.ObjectChangeDetailView.as_view(), name="change_detail"),
]
