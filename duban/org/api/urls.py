from rest_framework.routers import SimpleRouter

from duban.org.api import views

router = SimpleRouter()
router.register("units", views.UnitViewSet)
router.register("sections", views.SectionViewSet)
router.register("people", views.PersonViewSet)
router.register("leader-assignments", views.LeaderAssignmentViewSet)
urlpatterns = router.urls
