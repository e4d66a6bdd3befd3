from rest_framework.routers import SimpleRouter

from duban.supervision.api import problems, talks, views

router = SimpleRouter()
router.register("tasks", views.TaskViewSet, basename="task")
router.register("talks", talks.TalkViewSet, basename="talk")
router.register("problems", problems.ProblemViewSet, basename="problem")
router.register("lessons", problems.LessonViewSet, basename="lesson")
urlpatterns = [*router.urls]
