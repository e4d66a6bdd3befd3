"""Views (operations). Filled in by its owner; each module exposes `urlpatterns`."""

urlpatterns: list = []
