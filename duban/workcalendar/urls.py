from django.urls import path

from duban.workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.month, name="month"),
    path("days/", views.add_days, name="add_days"),
    path("days/<int:pk>/void/", views.void_day, name="void_day"),
    path("years/", views.set_year, name="set_year"),
]
