from django.urls import path
from rest_framework.routers import DefaultRouter

from duban.workcalendar.api import views

router = DefaultRouter()
router.register("days", views.CalendarDayViewSet)
urlpatterns = [
    path("workdays/", views.WorkdaysView.as_view(), name="api-calendar-workdays"),
    path("add/", views.AddWorkdaysView.as_view(), name="api-calendar-add"),
    *router.urls,
]
