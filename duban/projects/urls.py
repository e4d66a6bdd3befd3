from duban.projects.views import battlemap, operations, projects

app_name = "projects"
urlpatterns = [*projects.urlpatterns, *battlemap.urlpatterns, *operations.urlpatterns]
