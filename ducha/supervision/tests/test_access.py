"""Who sees which part of a round, its photos and the statistics; where uploaded files are kept; safe exports."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ducha.api.models import ApiToken
from ducha.supervision.models import Attachment, RoundVisit, SupervisionRound
from ducha.supervision.services import visit_add

from .conftest import RAISED

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


@pytest.fixture
def mixed_round(office, units, park_project, other_park_project, make_problem):
    """A round visiting 金科园's and 华科园's projects, a photo and a problem at each."""
    other_park_project.responsible_department = units["other_department"]
    other_park_project.save()
    rnd = SupervisionRound.objects.create(
        title="第三次集中现场督查", year=2020, date=RAISED, leaders="狄志强"
    )
    visit_add(
        user=office,
        round=rnd,
        project=park_project,
        findings="金科园现场发现",
        files=[SimpleUploadedFile("金科园厂房.jpg", JPEG)],
    )
    visit_add(
        user=office,
        round=rnd,
        project=other_park_project,
        findings="华科园现场发现",
        files=[SimpleUploadedFile("华科园厂房.jpg", JPEG)],
    )
    make_problem(round=rnd, description="金科园用地问题")
    make_problem(
        round=rnd,
        project=other_park_project,
        lead_department=units["other_department"],
        description="华科园资金问题",
    )
    return rnd


@pytest.fixture
def other_park_round(office, other_park_project):
    """A round that visited only 华科园."""
    rnd = SupervisionRound.objects.create(title="华科园专项督查", year=2020, date=RAISED, leaders="沈东")
    visit_add(user=office, round=rnd, project=other_park_project, findings="只看华科园")
    return rnd


def _photo(name):
    return Attachment.objects.get(original_name=name)


def _round_pages(client, rnd):
    return [
        client.get(rnd.get_absolute_url()),
        client.get(reverse("supervision:round_itinerary", args=[rnd.pk])),
    ]


def test_park_staff_see_only_their_units_visits_findings_problems_and_photos_of_a_round(
    mixed_round, client_for, park_user
):
    own, other = _photo("金科园厂房.jpg"), _photo("华科园厂房.jpg")
    detail, itinerary = _round_pages(client_for(park_user), mixed_round)
    assert detail.status_code == itinerary.status_code == 200
    body = detail.content.decode()
    assert "金科园现场发现" in body and "金科园用地问题" in body
    assert reverse("supervision:attachment", args=[own.pk]) in body
    assert "华科园现场发现" not in body and "华科园资金问题" not in body
    assert reverse("supervision:attachment", args=[other.pk]) not in body
    assert "胜伟策" not in itinerary.content.decode()


def test_department_staff_see_the_visits_of_the_projects_they_are_responsible_for(
    mixed_round, client_for, other_department_user
):
    body = client_for(other_department_user).get(mixed_round.get_absolute_url()).content.decode()
    assert "华科园现场发现" in body and "华科园资金问题" in body
    assert "金科园现场发现" not in body and "金科园用地问题" not in body


def test_a_department_sees_a_round_where_it_leads_a_problem_but_not_the_visits(
    mixed_round, client_for, department_user
):
    response = client_for(department_user).get(mixed_round.get_absolute_url())
    assert response.status_code == 200
    assert "现场发现" not in response.content.decode()


def test_a_round_with_nothing_of_theirs_is_404_and_not_listed(
    mixed_round, other_park_round, client_for, park_user, outsider
):
    client = client_for(park_user)
    assert [r.status_code for r in _round_pages(client, other_park_round)] == [404, 404]
    listing = client.get(reverse("supervision:round_list")).content.decode()
    assert mixed_round.title in listing and other_park_round.title not in listing
    assert (
        other_park_round.title in client_for(outsider).get(reverse("supervision:round_list")).content.decode()
    )


def test_the_round_filter_of_the_problem_list_offers_only_visible_rounds(
    mixed_round, other_park_round, client_for, park_user
):
    body = client_for(park_user).get(reverse("supervision:problem_list")).content.decode()
    assert mixed_round.title in body and other_park_round.title not in body


def test_office_and_leaders_see_every_visit(mixed_round, other_park_round, client_for, office, leader):
    for user in (office, leader):
        client = client_for(user)
        body = client.get(mixed_round.get_absolute_url()).content.decode()
        assert "金科园现场发现" in body and "华科园现场发现" in body and "华科园资金问题" in body
        assert client.get(other_park_round.get_absolute_url()).status_code == 200


def test_a_visit_photo_is_served_only_to_those_who_may_see_the_visited_project(
    mixed_round, client_for, park_user, outsider, department_user, leader, auditor
):
    url = reverse("supervision:attachment", args=[_photo("华科园厂房.jpg").pk])
    assert client_for(outsider).get(url).status_code == 200
    assert client_for(leader).get(url).status_code == 200
    assert client_for(park_user).get(url).status_code == 404
    assert client_for(department_user).get(url).status_code == 404
    assert client_for(auditor).get(url).status_code == 403


def test_the_round_list_counts_only_what_the_user_may_see(mixed_round, client_for, park_user, api):
    rounds = api(park_user)("get", "/rounds").json()["results"]
    assert [(r["title"], r["visit_count"], r["problem_count"]) for r in rounds] == [
        ("第三次集中现场督查", 1, 1)
    ]


def test_round_list_query_count_does_not_grow_for_unit_staff(client_for, office, park_user, park_project):
    client = client_for(park_user)
    counts = []
    for n in (1, 20):
        for i in range(n):
            rnd = SupervisionRound.objects.create(
                title=f"第{n}-{i}次", year=2020, date=RAISED, leaders="狄志强"
            )
            RoundVisit.objects.create(round=rnd, project=park_project)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("supervision:round_list")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_round_detail_query_count_does_not_grow_for_unit_staff(
    mixed_round, client_for, park_user, units, make_problem
):
    from ducha.projects.models import Project

    client = client_for(park_user)
    counts = []
    for n in (1, 8):
        for i in range(n):
            project = Project.objects.create(
                name=f"金科园项目{n}-{i}", unit=units["park"], total_investment=1
            )
            RoundVisit.objects.create(round=mixed_round, project=project, order=10 + i)
            make_problem(project=project, round=mixed_round)
        with CaptureQueriesContext(connection) as ctx:
            client.get(mixed_round.get_absolute_url())
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# --- the API -----------------------------------------------------------------------------------------


@pytest.fixture
def api(client):
    def for_user(user):
        _token, key = ApiToken.issue(user=user, name="t")

        def call(method, path, **data):
            return client.get("/api/supervision" + path, data, HTTP_AUTHORIZATION=f"Bearer {key}")

        return call

    return for_user


def test_the_api_gives_a_round_only_with_the_visits_the_user_may_see(
    mixed_round, other_park_round, api, park_user, office
):
    call = api(park_user)
    assert [r["title"] for r in call("get", "/rounds").json()["results"]] == [mixed_round.title]
    detail = call("get", f"/rounds/{mixed_round.pk}").json()
    assert [v["findings"] for v in detail["visits"]] == ["金科园现场发现"]
    assert call("get", f"/rounds/{other_park_round.pk}").status_code == 404
    everything = api(office)("get", f"/rounds/{mixed_round.pk}").json()
    assert len(everything["visits"]) == 2


# --- where uploaded files live ---------------------------------------------------------------------


def test_attachments_are_stored_under_a_random_name_outside_the_public_media_folder(
    mixed_round, settings, client_for, park_user
):
    photo = _photo("金科园厂房.jpg")
    path = Path(photo.file.path)
    assert path.is_file() and path.is_relative_to(Path(settings.DUCHA_PRIVATE_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "金科园" not in photo.file.name and path.suffix == ".jpg" and len(path.stem) == 32
    with pytest.raises(ValueError):
        photo.file.url  # noqa: B018 — no public URL at all
    response = client_for(park_user).get(reverse("supervision:attachment", args=[photo.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == JPEG
    assert (
        "%E9%87%91%E7%A7%91%E5%9B%AD%E5%8E%82%E6%88%BF.jpg" in response["Content-Disposition"]
    )  # 金科园厂房.jpg


def test_the_default_private_folder_is_in_the_data_dir_and_not_in_media(settings):
    settings.DUCHA_PRIVATE_ROOT = Path(django_settings.DATA_DIR).resolve() / "private"  # the settings default
    location = Path(Attachment._meta.get_field("file").storage.location)
    assert location == Path(django_settings.DATA_DIR).resolve() / "private"
    assert not location.is_relative_to(Path(settings.MEDIA_ROOT))


def test_with_an_accel_prefix_nginx_sends_the_file_after_the_check(
    mixed_round, settings, client_for, park_user, outsider
):
    settings.DUCHA_X_ACCEL_REDIRECT_PREFIX = "/protected/"
    photo = _photo("金科园厂房.jpg")
    url = reverse("supervision:attachment", args=[photo.pk])
    response = client_for(park_user).get(url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected/" + photo.file.name
    assert response["Content-Type"] == "image/jpeg"
    assert client_for(outsider).get(url).status_code == 404


# --- statistics --------------------------------------------------------------------------------------


def _stats_page(client, query="?year=2020&until=2020-12-31"):
    return client.get(reverse("supervision:stats") + query)


def test_unit_staff_see_only_their_own_units_statistics(mixed_round, client_for, park_user):
    body = _stats_page(client_for(park_user)).content.decode()
    assert "金科园" in body and "华科园" not in body
    assert "住建局" not in body and "自然资源局" not in body


def test_department_staff_see_only_their_own_departments_statistics(mixed_round, client_for, department_user):
    body = _stats_page(client_for(department_user)).content.decode()
    assert "住建局" in body and "自然资源局" not in body
    assert "金科园" not in body and "华科园" not in body


def test_office_and_leaders_see_every_row_of_the_statistics(mixed_round, client_for, office, leader):
    for user in (office, leader):
        body = _stats_page(client_for(user)).content.decode()
        assert all(name in body for name in ("金科园", "华科园", "住建局", "自然资源局"))


def test_the_stats_api_gives_unit_and_department_staff_only_their_own_row(
    mixed_round, api, park_user, department_user, office, units
):
    mine = api(park_user)("get", "/stats", year=2020, until="2020-12-31").json()
    assert [r["unit_id"] for r in mine["by_unit"]] == [units["park"].pk] and mine["by_department"] == []
    dept = api(department_user)("get", "/stats", year=2020, until="2020-12-31").json()
    assert [r["unit_id"] for r in dept["by_department"]] == [units["department"].pk] and dept["by_unit"] == []
    everything = api(office)("get", "/stats", year=2020, until="2020-12-31").json()
    assert len(everything["by_unit"]) == 2 and len(everything["by_department"]) == 2


@pytest.mark.parametrize("year", ["0", "1999", "2101", "99999"])
def test_a_year_out_of_range_shows_this_year_with_a_message(year, client_for, office):
    response = _stats_page(client_for(office), f"?year={year}")
    assert response.status_code == 200
    assert "2000" in response.content.decode() and "2100" in response.content.decode()


@pytest.mark.parametrize("year", [0, 1999, 2101, 99999])
def test_the_stats_api_refuses_a_year_out_of_range(year, api, office):
    assert api(office)("get", "/stats", year=year).status_code == 422


# --- export --------------------------------------------------------------------------------------------


def test_an_exported_description_starting_with_equals_is_text_not_a_formula(make_problem, client_for, office):
    make_problem(description='=HYPERLINK("http://evil.example","点我")')
    response = client_for(office).get(reverse("supervision:problem_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=4)
    assert cell.data_type == "s" and cell.value.endswith('=HYPERLINK("http://evil.example","点我")')
    assert not cell.value.startswith("=")
