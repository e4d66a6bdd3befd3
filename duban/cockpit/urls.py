from django.urls import path

from duban.cockpit import views

app_name = "cockpit"
urlpatterns = [path("", views.home, name="home")]
