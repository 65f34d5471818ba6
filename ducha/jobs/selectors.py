from django.http import Http404

from .models import Job

LATEST = 20


def job_get_for_user(user, pk: int) -> Job:
    """The user's own job; anybody else's is a 404, whatever their role."""
    job = Job.objects.filter(pk=pk, user=user).first()
    if job is None:
        raise Http404
    return job


def jobs_latest(user) -> list[Job]:
    return list(Job.objects.filter(user=user).order_by("-created_at", "-pk")[:LATEST])
