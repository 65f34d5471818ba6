"""The indicator table as .xlsx: the figures its cells show, for the units the page shows (all its pages),
recorded as an export in the audit trail."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from ducha.lib.testing_xlsx import assert_printable_sheet
from ducha.units.models import PeerGroup, Unit, UnitKind

pytestmark = pytest.mark.django_db


def _rows(response) -> dict[tuple[str, str], tuple]:
    ws = assert_printable_sheet(response.content, rows=response.audit_rows)
    return {(row[1], row[2]): row for row in ws.iter_rows(min_row=2, values_only=True)}


def test_office_exports_the_district_and_every_unit_with_growth_completion_and_places(
    units, office, sales, put, target, client_for
):
    put(sales, None, 2020, 3, "32171000000")
    put(sales, None, 2019, 3, "30098231827")
    put(sales, units["town"], 2020, 3, 300)
    put(sales, units["town"], 2019, 3, 200)
    target(sales, units["town"], 2020, 1000)
    response = client_for(office).get(reverse("indicators:table_xlsx"), {"year": 2020, "month": 3})
    assert response.status_code == 200
    rows = _rows(response)
    area_names = list(Unit.objects.areas().values_list("name", flat=True))
    assert {unit for unit, _indicator in rows} == {"Whole district", *area_names}
    town = rows[("金城镇", "工业开票销售收入")]
    # period, unit, indicator, value, measured in, last year, growth %, increase, target, completion %, gap, places
    assert town[0] == "2020年1-3月"
    assert town[3:10] == (300, "元", 200, 50, 100, 1000, 30)
    assert town[11:] == (1, 1)
    assert rows[("Whole district", "工业开票销售收入")][3] == 32171000000


def test_the_export_has_every_page_of_the_table(units, office, sales, put, client_for):
    from ducha.indicators.selectors import ROWS_PER_PAGE

    for i in range(ROWS_PER_PAGE + 5):
        unit = Unit.objects.create(
            name=f"测试镇{i:02d}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS
        )
        put(sales, unit, 2020, 3, 100 + i)
    response = client_for(office).get(reverse("indicators:table_xlsx"), {"year": 2020, "month": 3})
    assert len({unit for unit, _i in _rows(response)}) == Unit.objects.areas().count() + 1  # and the district


def test_park_user_exports_the_district_and_its_own_row_only(units, park_user, sales, client_for):
    response = client_for(park_user).get(reverse("indicators:table_xlsx"), {"year": 2020, "month": 3})
    page = client_for(park_user).get(reverse("indicators:table"), {"year": 2020, "month": 3})
    shown = {row.unit.name for row in page.context["table"].rows}
    assert shown == {"金坛区金科园"}
    assert {unit for unit, _i in _rows(response)} == {"Whole district", *shown}


def test_an_indicator_a_unit_does_not_report_is_left_out(units, office, sales, firms, client_for):
    firms.reporting_kinds = [UnitKind.PARK]
    firms.save()
    rows = _rows(client_for(office).get(reverse("indicators:table_xlsx"), {"year": 2020, "month": 3}))
    assert ("金坛区金科园", "规上工业企业数") in rows and ("金城镇", "规上工业企业数") not in rows
    assert ("金城镇", "工业开票销售收入") in rows


def test_an_auditor_cannot_export_indicators(auditor, client_for):
    assert client_for(auditor).get(reverse("indicators:table_xlsx")).status_code == 403


def test_the_export_is_recorded_with_its_rows(units, office, sales, client_for):
    response = client_for(office).get(reverse("indicators:table_xlsx"), {"year": 2020, "month": 3})
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, additional_data__event="export")
    assert entry.actor == office and entry.additional_data["rows"] == response.audit_rows > 0
    assert "year=2020" in entry.additional_data["query"]


def test_the_table_links_to_the_export_of_its_period(units, office, sales, client_for):
    html = client_for(office).get(reverse("indicators:table"), {"year": 2020, "month": 3}).content.decode()
    assert reverse("indicators:table_xlsx") + "?year=2020&amp;month=3" in html


def test_the_import_template_offers_the_units_and_prints_like_the_exports(
    units, office, sales, firms, client_for
):
    from io import BytesIO

    from openpyxl import load_workbook

    from ducha.indicators import services

    content = services.indicator_template_xlsx(year=2020, month=3)
    book = load_workbook(BytesIO(content))
    ws = book.worksheets[0]
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    (validation,) = ws.data_validations.dataValidation
    assert str(validation.sqref).startswith("C2:C") and validation.errorStyle == "warning"
    sheet_name, cells = validation.formula1.rsplit("!", 1)
    values = [row[0].value for row in book[sheet_name.strip("'")][cells.replace("$", "")]]
    assert values == [row[0] for row in ws.iter_rows(min_row=2, min_col=3, max_col=3, values_only=True)]
    assert book[sheet_name.strip("'")].sheet_state == "hidden"
    # and the filled-in template still imports
    ws["D2"] = 100
    out = BytesIO()
    book.save(out)
    out.seek(0)
    result = services.indicator_import_xlsx(file=out, user=office)
    assert result.ok, result.errors
