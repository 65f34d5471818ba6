"""Loading projects for the OC4IDS package (ducha.projects.oc4ids writes them): a fixed number of queries for
any number of projects, for the API's pages and `ducha oc4ids export`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Protocol

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone, translation

from ducha.lib import clock

from . import oc4ids
from .choices import ReportStatus
from .models import Industry, PeriodFigures, ProgressReport, Project


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


LANGUAGE = "zh-hans"  # of the package's labels (oc4ids.LANGUAGE: "zh")
CHUNK = 500  # projects loaded (and their records prefetched) at a time by the export


def _counted_reports() -> QuerySet[ProgressReport]:
    """The reports the figures count (rollups): every one but drafts."""
    return ProgressReport.objects.exclude(status=ReportStatus.DRAFT)


def for_package(projects: QuerySet[Project]) -> QuerySet[Project]:
    """`projects` with everything the package reads, in one query per relation."""
    reports = _counted_reports().only(
        "id", "project_id", "year", "month", "stage", "narrative", "investment_ytd"
    )
    reported_month = _counted_reports().filter(
        project_id=OuterRef("project_id"), year=OuterRef("year"), month=OuterRef("month")
    )
    figures = PeriodFigures.objects.filter(Exists(reported_month)).only(
        "id", "project_id", "year", "month", "plan", "completed", "ratio"
    )
    return projects.select_related("unit__region", "industry", "responsible_department").prefetch_related(
        "stage_dates",
        "milestones",
        "annual_plans",
        Prefetch("reports", queryset=reports, to_attr="oc4ids_reports"),
        Prefetch("period_figures", queryset=figures, to_attr="oc4ids_figures"),
    )


def industry_paths() -> dict[int, list[str]]:
    """Every industry's names from the root of the taxonomy down to it (one query; the taxonomy is small)."""
    rows = {
        pk: (name, parent) for pk, name, parent in Industry.objects.values_list("pk", "name", "parent_id")
    }
    paths: dict[int, list[str]] = {}
    for pk in rows:
        names, seen, at = [], set(), pk
        while at is not None and at in rows and at not in seen:
            seen.add(at)
            names.append(rows[at][0])
            at = rows[at][1]
        paths[pk] = names[::-1]
    return paths


def project_prefix() -> str:
    """DUCHA_OC4IDS_PREFIX: the registered OC4IDS prefix (`oc4ids-xxxxxx`, from the Open Contracting
    Partnership), without which validators warn that project ids have no recognised prefix; until then ids are
    `ducha-<home region code>-<id>`, unique among installations."""
    return getattr(settings, "DUCHA_OC4IDS_PREFIX", "") or f"ducha-{settings.DUCHA_HOME_REGION}"


def publisher_name() -> str:
    """The office that publishes: DUCHA_OFFICE_NAME, else the bulletin's issuer (the same office)."""
    return (
        getattr(settings, "DUCHA_OFFICE_NAME", "")
        or getattr(settings, "DUCHA_BULLETIN_ISSUER", "")
        or "ducha"
    )


def package_license() -> str:
    return getattr(settings, "DUCHA_OC4IDS_LICENSE", "") or oc4ids.DEFAULT_LICENSE


def context() -> oc4ids.Context:
    return oc4ids.Context(
        prefix=project_prefix(), clock=oc4ids.Clock(today=clock.today()), industry_paths=industry_paths()
    )


def published_now() -> str:
    return timezone.localtime().isoformat(timespec="seconds")


def package(projects: Iterable[Project], *, uri: str, links: dict[str, str] | None = None) -> dict:
    """The package of `projects` (already loaded with `for_package`), in Chinese whatever the request's language
    (the package says it is; its labels are the choices' translations)."""
    with translation.override(LANGUAGE):
        return _package(projects, uri=uri, links=links)


def _package(projects: Iterable[Project], *, uri: str, links: dict[str, str] | None) -> dict:
    return oc4ids.project_package(
        projects,
        context(),
        uri=uri,
        published=published_now(),
        publisher=publisher_name(),
        license=package_license(),
        links=links,
    )


def write_package(projects: QuerySet[Project], out: Writable, *, uri: str) -> int:
    """Write the package of `projects` to `out` as JSON, CHUNK projects at a time (the memory of one chunk,
    whatever the number of projects); returns how many were written."""
    with translation.override(LANGUAGE):
        return _write_package(projects, out, uri=uri)


def _write_package(projects: QuerySet[Project], out: Writable, *, uri: str) -> int:
    ctx = context()
    header = oc4ids.package_header(
        uri=uri, published=published_now(), publisher=publisher_name(), license=package_license()
    )
    head = json.dumps(header, ensure_ascii=False, indent=1)
    out.write(head[:-2] + ',\n "projects": [')
    count = 0
    for project in for_package(projects.order_by("pk")).iterator(chunk_size=CHUNK):
        out.write(("," if count else "") + "\n  ")
        out.write(json.dumps(oc4ids.project_release(project, ctx), ensure_ascii=False))
        count += 1
    out.write("\n ]\n}\n")
    return count


def package_page(projects: QuerySet[Project], bounds: slice, *, page_url: Callable[[int, int], str]) -> dict:
    """One page of the package (projects in id order, so that pages neither overlap nor skip while the ledger
    changes order): `bounds` from the API's limit and offset; `links.next` and `links.prev` (page_url(offset,
    limit)) where there are more, as OCDS packages paginate. One more row is read to know if there is a next
    page, so no count is needed."""
    start, stop = bounds.start, bounds.stop
    size = stop - start
    rows = list(for_package(projects.order_by("pk"))[start : stop + 1])
    links = {}
    if len(rows) > size:
        links["next"] = page_url(stop, size)
    if start > 0:
        links["prev"] = page_url(max(0, start - size), size)
    return package(rows[:size], uri=page_url(start, size), links=links or None)
