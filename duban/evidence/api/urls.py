from rest_framework.routers import SimpleRouter

from duban.evidence.api import views

router = SimpleRouter()
router.register("documents", views.DocumentViewSet)
urlpatterns = router.urls
