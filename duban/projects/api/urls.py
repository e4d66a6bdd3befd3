from rest_framework.routers import SimpleRouter

from duban.projects.api import views

router = SimpleRouter()
# At /api/v1/projects/ itself: POST there creates a project, /{id}/plan/ is its plan.
router.register("", views.ProjectViewSet, basename="project")
urlpatterns = [*router.urls]
