"""Views (projects). Filled in by its owner; each module exposes `urlpatterns`."""

urlpatterns: list = []
