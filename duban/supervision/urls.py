from duban.supervision.views import board, documents, lessons, problems, talks, tasks

app_name = "supervision"
urlpatterns = [
    *tasks.urlpatterns,
    *board.urlpatterns,
    *documents.urlpatterns,
    *problems.urlpatterns,
    *lessons.urlpatterns,
    *talks.urlpatterns,
]
