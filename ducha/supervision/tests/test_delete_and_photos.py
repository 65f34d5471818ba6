import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ducha.supervision.models import Attachment, RoundVisit, SupervisionRound
from ducha.supervision.services import visit_add

from .conftest import RAISED

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


@pytest.fixture
def a_round(office, park_project, other_park_project):
    rnd = SupervisionRound.objects.create(
        title="2020年第二次集中现场督查", year=2020, date=RAISED, leaders="狄志强"
    )
    visit_add(user=office, round=rnd, project=park_project, files=[SimpleUploadedFile("厂房.jpg", JPEG)])
    visit_add(user=office, round=rnd, project=other_park_project)
    return rnd


def test_office_deletes_a_round_after_confirming_and_its_photos_go_too(
    a_round, client_for, office, django_capture_on_commit_callbacks
):
    client = client_for(office)
    url = reverse("supervision:round_delete", args=[a_round.pk])
    page = client.get(url).content.decode()
    assert "confirm-delete" in page and a_round.title in page
    photo = Attachment.objects.get()
    storage, name = photo.file.storage, photo.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("supervision:round_list")
    assert not SupervisionRound.objects.exists() and not RoundVisit.objects.exists()
    assert not Attachment.objects.exists() and not storage.exists(name)


def test_a_round_with_problems_is_not_deleted_and_says_why(a_round, make_problem, client_for, office):
    make_problem(round=a_round)
    client = client_for(office)
    url = reverse("supervision:round_delete", args=[a_round.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "confirm-delete" not in page and "1 problem was raised" in page
    response = client.post(url, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "cannot be deleted: 1 problem(s)" in response.content.decode()
    assert SupervisionRound.objects.filter(pk=a_round.pk).exists()


def test_office_takes_a_visit_off_the_itinerary_unless_problems_were_raised_there(
    a_round, park_project, other_park_project, make_problem, client_for, office
):
    make_problem(round=a_round, project=park_project)
    client = client_for(office)
    with_problem = a_round.visits.get(project=park_project)
    without = a_round.visits.get(project=other_park_project)
    response = client.post(
        reverse("supervision:visit_delete", args=[with_problem.pk]), HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "cannot be deleted" in response.content.decode()
    client.post(reverse("supervision:visit_delete", args=[without.pk]))
    assert list(a_round.visits.values_list("project__name", flat=True)) == [park_project.name]


def test_only_the_office_deletes(a_round, client_for, department_user, leader):
    visit = a_round.visits.first()
    for user in (department_user, leader):
        client = client_for(user)
        assert client.post(reverse("supervision:round_delete", args=[a_round.pk])).status_code == 403
        assert client.post(reverse("supervision:visit_delete", args=[visit.pk])).status_code == 403
    assert RoundVisit.objects.count() == 2


def test_site_photo_inputs_open_the_phone_camera(a_round, client_for, office):
    client = client_for(office)
    pages = [
        client.get(a_round.get_absolute_url()),
        client.get(reverse("supervision:visit_edit", args=[a_round.visits.first().pk])),
        client.get(reverse("supervision:problem_create")),
    ]
    for response in pages:
        body = response.content.decode()
        assert 'accept="image/*"' in body and 'capture="environment"' in body


def test_the_round_page_shows_photos_in_a_grid_through_the_checked_view(a_round, client_for, park_user):
    photo = Attachment.objects.get()
    body = client_for(park_user).get(a_round.get_absolute_url()).content.decode()
    assert 'class="photo-grid' in body
    assert f'src="{reverse("supervision:attachment", args=[photo.pk])}"' in body
