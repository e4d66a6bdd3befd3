from django.urls import path

from duban.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/open/", views.OpenView.as_view(), name="open"),
    path("read-all/", views.MarkAllReadView.as_view(), name="read_all"),
    path("preferences/", views.PreferenceView.as_view(), name="preferences"),
    path("channels/", views.ChannelListView.as_view(), name="channel_list"),
    path("channels/add/", views.ChannelCreateView.as_view(), name="channel_add"),
    path("channels/<int:pk>/edit/", views.ChannelUpdateView.as_view(), name="channel_edit"),
    path("channels/<int:pk>/archive/", views.ChannelArchiveView.as_view(), name="channel_archive"),
    path("channels/<int:pk>/test/", views.ChannelTestView.as_view(), name="channel_test"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery_list"),
]
