from rest_framework.routers import DefaultRouter

from duban.audit.api.views import ObjectChangeViewSet

router = DefaultRouter()
router.register("changes", ObjectChangeViewSet)
urlpatterns = router.urls
