from django.urls import path
from rest_framework.routers import SimpleRouter

from duban.assessment.api import views

router = SimpleRouter()
router.register("schemes", views.SchemeViewSet)
router.register("indicators", views.IndicatorViewSet)
router.register("reports", views.ReportViewSet)
urlpatterns = [
    path("score-preview/", views.ScorePreviewView.as_view(), name="api-score-preview"),
    *router.urls,
]
