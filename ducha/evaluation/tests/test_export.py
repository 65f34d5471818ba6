"""The evaluation's results and flags as .xlsx: what its page shows, to whom the page shows it, recorded as an
export in the audit trail."""

from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from ducha.evaluation import services
from ducha.lib.testing_xlsx import assert_printable_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(scheme, sales_values, office):
    return services.evaluation_publish(
        evaluation=services.evaluation_compute(scheme=scheme, month=3, user=office), user=office
    )


def test_the_export_lists_each_units_place_flag_total_and_item_points(published, leader, client_for):
    response = client_for(leader).get(reverse("evaluation:detail_xlsx", args=[published.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="evaluation-')
    ws = assert_printable_sheet(response.content, rows=4)
    header = [cell.value for cell in ws[1]]
    assert header[:6] == ["Peer group", "Place", "Units in the group", "Unit", "Flag", "Total"]
    assert header[6:] == ["开票增幅 (weight 60)", "问题销号率 (weight 40)"]
    rows = {row[3]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    town = rows["金城镇"]  # first of the two towns and streets on sales growth
    assert town[1:3] == (1, 2) and town[4] == "Red flag" and town[6] == 100
    page = client_for(leader).get(reverse("evaluation:detail", args=[published.pk]))
    for view in page.context["groups"][0][1] + page.context["groups"][1][1]:
        result = view["result"]
        assert rows[result.unit.label][5] == float(result.total)


def test_the_second_sheet_explains_every_items_points(published, leader, client_for):
    response = client_for(leader).get(reverse("evaluation:detail_xlsx", args=[published.pk]))
    book = load_workbook(BytesIO(response.content))
    items = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert len(items) == 4 * 2
    town_sales = next(row for row in items if row[:2] == ("金城镇", "开票增幅"))
    assert town_sales[2:5] == (60, 20, 100) and "= 100" in town_sales[5]
    assert_printable_sheet(response.content, rows=8, sheet=1)


def test_a_draft_cannot_be_exported_but_by_the_office(scheme, sales_values, office, leader, client_for):
    draft = services.evaluation_compute(scheme=scheme, month=3, user=office)
    url = reverse("evaluation:detail_xlsx", args=[draft.pk])
    assert client_for(leader).get(url).status_code == 404
    assert client_for(office).get(url).status_code == 200


def test_an_auditor_cannot_export_evaluations(published, auditor, client_for):
    assert client_for(auditor).get(reverse("evaluation:detail_xlsx", args=[published.pk])).status_code == 403


def test_the_export_is_recorded_with_its_rows(published, leader, client_for):
    client_for(leader).get(reverse("evaluation:detail_xlsx", args=[published.pk]))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, additional_data__event="export")
    assert entry.actor == leader and entry.additional_data["rows"] == 4


def test_the_page_links_to_the_export(published, leader, client_for):
    html = client_for(leader).get(reverse("evaluation:detail", args=[published.pk])).content.decode()
    assert reverse("evaluation:detail_xlsx", args=[published.pk]) in html
