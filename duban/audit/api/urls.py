from rest_framework.routers import SimpleRouter

from duban.audit.api.views import ObjectChangeViewSet

router = SimpleRouter()
router.register("changes", ObjectChangeViewSet)
urlpatterns = router.urls
