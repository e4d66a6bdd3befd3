from django.urls import path
from rest_framework.routers import SimpleRouter

from duban.workcalendar.api import views

router = SimpleRouter()
router.register("days", views.CalendarDayViewSet)
urlpatterns = [
    path("workdays/", views.WorkdaysView.as_view(), name="api-calendar-workdays"),
    path("add/", views.AddWorkdaysView.as_view(), name="api-calendar-add"),
    *router.urls,
]
