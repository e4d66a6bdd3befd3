from django.utils.functional import SimpleLazyObject

from duban.notifications.models import Notification


def unread_count(request) -> int:
    """The signed-in user's unread messages: one query per request, however often it is shown."""
    cached = getattr(request, "_notifications_unread", None)
    if cached is None:
        cached = Notification.objects.visible_to(request.user).unread().count()
        request._notifications_unread = cached
    return cached


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that never shows the bell never counts.
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(request))}
