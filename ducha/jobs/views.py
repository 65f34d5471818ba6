"""The user's background jobs: the list, one job's page (which refreshes itself while the job runs) and its file."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from .choices import JobKind, JobState
from .selectors import job_get_for_user, jobs_latest
from .services import job_result_path


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails  # set by django-htmx's middleware


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    return render(request, "jobs/job_list.html", {"jobs": jobs_latest(request.user)})


@login_required
def job_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    job = job_get_for_user(request.user, pk)
    context = {"job": job, "kinds": JobKind}
    template = "jobs/_job_status.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, context)


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = job_get_for_user(request.user, pk)
    path = job_result_path(job) if job.state == JobState.DONE else None
    if path is None:
        raise Http404
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=job.result_name)  # noqa: SIM115
    response.audit_rows = job.progress_total  # type: ignore[attr-defined]  # for the audit trail's export entry
    return response
