"""A project's location in the ledger spreadsheet (issue 15 §1): the export writes address, longitude and latitude
(WGS-84), the import reads them with the same rules as the form, and a re-imported export is unchanged."""

from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from ducha.projects import spreadsheets
from ducha.projects.models import Project

from .factories import make_plan, make_project
from .test_import import HEADER, TODAY, errors_of, industry, row, workbook  # noqa: F401  (fixture)

LOCATED = [*HEADER, "建设地点", "经度", "纬度"]


def test_a_new_row_stores_its_point_and_address(units, industry):  # noqa: F811
    values = row(建设地点="金坛区金科园", 经度=119.5712345, 纬度="31.7400009")
    ledger = spreadsheets.ledger_read(workbook(values, header=LOCATED), today=TODAY)
    assert ledger.ok, [str(e) for e in ledger.errors]
    spreadsheets.ledger_store(ledger=ledger)
    project = Project.objects.get()
    assert (project.longitude, project.latitude) == (Decimal("119.571234"), Decimal("31.740001"))
    assert project.address == "金坛区金科园"


def test_a_point_is_updated_and_an_empty_cell_keeps_the_stored_one(units, industry):  # noqa: F811
    stored = make_project(
        units["park"], "蜂巢能源动力电池项目", longitude=Decimal("119.5"), latitude=Decimal("31.7")
    )
    moved = spreadsheets.ledger_read(workbook(row(经度=119.6, 纬度=31.8), header=LOCATED), today=TODAY)
    assert moved.ok and {"经度", "纬度"} <= set(moved.rows[0].changes)
    kept = spreadsheets.ledger_read(workbook(row(经度=None, 纬度=None), header=LOCATED), today=TODAY)
    assert kept.ok and "经度" not in kept.rows[0].changes
    spreadsheets.ledger_store(ledger=moved)
    stored.refresh_from_db()
    assert (stored.longitude, stored.latitude) == (Decimal("119.6"), Decimal("31.8"))


def test_a_row_with_one_coordinate_or_a_wrong_one_is_refused_by_row_and_column(units, industry):  # noqa: F811
    unreadable = spreadsheets.ledger_read(
        workbook(row(经度="东经119度", 纬度=31.7), header=LOCATED), today=TODAY
    )
    assert errors_of(unreadable) == [(2, "经度", "东经119度")]
    ledger = spreadsheets.ledger_read(
        workbook(row(经度=119.6), row(项目名称="第二个项目", 经度=219.5, 纬度=31.7), header=LOCATED),
        today=TODAY,
    )
    assert {(e.row, e.column) for e in ledger.errors} == {(2, "纬度"), (3, "经度")}, errors_of(ledger)
    assert not Project.objects.exists()


def test_the_exported_ledger_carries_the_location_and_re_imports_unchanged(client_for, office, units):
    placed = make_project(
        units["park"],
        "蜂巢能源动力电池项目",
        longitude=Decimal("119.615001"),
        latitude=Decimal("31.757917"),
        address="常州市金坛区金坛经济开发区",
    )
    make_plan(placed, amount=1000)
    make_project(units["town"], "金城镇民生项目")  # not placed
    content = client_for(office).get("/projects/export.xlsx").content
    sheet = load_workbook(BytesIO(content)).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["蜂巢能源动力电池项目"]["经度（WGS-84）"] == 119.615001
    assert rows["蜂巢能源动力电池项目"]["纬度（WGS-84）"] == 31.757917
    assert rows["蜂巢能源动力电池项目"]["建设地点"] == "常州市金坛区金坛经济开发区"
    assert rows["金城镇民生项目"]["经度（WGS-84）"] is None
    ledger = spreadsheets.ledger_read(BytesIO(content))
    assert ledger.ok, [str(e) for e in ledger.errors]
    assert [(r.action, r.changes) for r in ledger.rows] == [("unchanged", []), ("unchanged", [])]
