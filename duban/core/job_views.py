from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from duban.core.models import Job


@login_required
def job_detail(request, pk: int):
    """The job's progress; while it runs, htmx polls this view for the progress card alone."""
    job = get_object_or_404(Job.objects.visible_to(request.user).for_detail(), pk=pk)
    template = "core/partials/job_status.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job, "title": job.title})
