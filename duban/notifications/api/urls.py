from rest_framework.routers import SimpleRouter

from duban.notifications.api import views

router = SimpleRouter()
router.register("inbox", views.InboxViewSet, basename="notification")
urlpatterns = router.urls
