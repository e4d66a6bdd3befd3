from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from duban.core.models import Job


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "title",
            "status",
            "percent",
            "progress_done",
            "progress_total",
            "message",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]


class JobDetailView(generics.RetrieveAPIView):
    """A job the caller started: its status and progress."""

    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return Job.objects.visible_to(self.request.user).for_detail()
