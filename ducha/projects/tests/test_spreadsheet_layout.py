"""The ledger export and the import template read and print well: widths, a frozen and filtered header that
prints on every page, landscape one page wide; the template offers drop-down lists of the accepted values."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from ducha.lib.testing_xlsx import assert_printable_sheet
from ducha.projects.choices import Level, Stage
from ducha.projects.models import Industry
from ducha.projects.spreadsheets import COLUMNS, ledger_template_xlsx, template_headers

from .factories import make_plan, make_project

pytestmark = pytest.mark.django_db


def test_the_ledger_export_has_widths_a_frozen_filtered_header_and_prints_landscape(
    client_for, office, units
):
    for n in range(3):
        make_plan(make_project(units["park"], f"项目{n}"))
    response = client_for(office).get("/projects/export.xlsx")
    ws = assert_printable_sheet(response.content, rows=3)
    assert ws.page_setup.paperSize == 8  # A3: thirty-odd columns
    assert (
        ws.column_dimensions["A"].width > ws.column_dimensions["K"].width
    )  # the name is wider than the currency


def test_an_empty_ledger_export_still_has_its_header_and_filter(client_for, office, units):
    response = client_for(office).get("/projects/export.xlsx")
    assert_printable_sheet(response.content, rows=0)


def _validations(ws) -> dict[str, object]:
    """Header → the data validation on its column."""
    found = {}
    for validation in ws.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            found[ws.cell(row=1, column=cell_range.min_col).value] = validation
    return found


def _list_values(book, validation) -> list:
    sheet_name, cells = validation.formula1.rsplit("!", 1)
    sheet = book[sheet_name.strip("'")]
    return [row[0].value for row in sheet[cells.replace("$", "")]]


def test_the_template_offers_the_accepted_values_as_drop_down_lists(units):
    Industry.objects.create(name="动力电池", order=1)
    book = load_workbook(BytesIO(ledger_template_xlsx(year=2020)))
    ws = book.worksheets[0]
    assert [cell.value for cell in ws[1]] == template_headers(2020)
    assert ws.freeze_panes == "A2" and ws.page_setup.orientation == "landscape"
    lists = book.worksheets[-1]
    assert lists.sheet_state == "hidden"
    by_header = _validations(ws)
    validations = {column.key: by_header[column.label] for column in COLUMNS if column.label in by_header}
    stage = validations["stage"]
    assert stage.type == "list" and stage.errorStyle == "stop" and stage.showErrorMessage
    assert _list_values(book, stage) == [str(label) for label in Stage.labels]
    assert _list_values(book, validations["level"]) == [str(label) for label in Level.labels]
    assert _list_values(book, validations["construction_type"]) == ["新建", "续建"]
    assert _list_values(book, validations["unit"]) == [
        "金城镇",
        "东城街道",
        "金坛区金科园",
        "金坛华罗庚科技产业园",
    ]
    assert validations["unit"].errorStyle == "warning"  # 金科园, the short name, is read too
    assert _list_values(book, validations["responsible_department"]) == ["区住建局", "区自然资源局"]
    assert _list_values(book, validations["industry"]) == ["动力电池"]
    assert _list_values(book, validations["in_statistics"]) == ["是", "否"]
    assert "company" not in validations  # free text has no list
    assert validations["statistics_date"].type == "date"


def test_the_filled_in_template_is_read_back(units, office):
    """The drop-down values are the ones the import accepts: a row filled from the lists is read without error."""
    from ducha.projects.spreadsheets import ledger_read

    Industry.objects.create(name="动力电池", order=1)
    book = load_workbook(BytesIO(ledger_template_xlsx(year=2020)))
    ws = book.worksheets[0]
    headers = [cell.value for cell in ws[1]]
    book_lists = {header: _list_values(book, v) for header, v in _validations(ws).items() if v.type == "list"}
    row = {header: values[0] for header, values in book_lists.items()}
    labels = {column.key: column.label for column in COLUMNS}
    row |= {labels["name"]: "下拉填写项目", labels["total_investment"]: 10000, labels["in_statistics"]: "否"}
    ws.append([row.get(header) for header in headers])
    out = BytesIO()
    book.save(out)
    out.seek(0)
    result = ledger_read(out)
    assert result.ok, [str(error) for error in result.errors]
    assert [(row.action, row.project.name) for row in result.rows] == [("create", "下拉填写项目")]
