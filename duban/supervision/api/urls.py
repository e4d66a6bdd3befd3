from rest_framework.routers import SimpleRouter

from duban.supervision.api import views

router = SimpleRouter()
router.register("tasks", views.TaskViewSet, basename="task")
urlpatterns = [*router.urls]
