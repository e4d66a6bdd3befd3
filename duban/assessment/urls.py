from duban.assessment.views import (
    explanations,
    imports,
    indicators,
    letters,
    reports,
    results,
    schemes,
)

app_name = "assessment"
urlpatterns = [
    *schemes.urlpatterns,
    *indicators.urlpatterns,
    *reports.urlpatterns,
    *explanations.urlpatterns,
    *letters.urlpatterns,
    *imports.urlpatterns,
    *results.urlpatterns,
]
