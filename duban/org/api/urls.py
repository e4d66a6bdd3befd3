from rest_framework.routers import DefaultRouter

from duban.org.api import views

router = DefaultRouter()
router.register("units", views.UnitViewSet)
router.register("sections", views.SectionViewSet)
router.register("people", views.PersonViewSet)
router.register("leader-assignments", views.LeaderAssignmentViewSet)
urlpatterns = router.urls
