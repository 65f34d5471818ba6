"""Unchanged rows found by comparing raw cells with the stored values (reading._Unchanged, issue 13 §4): a row that
differs from its stored project in a single cell, of any kind of column, is not taken as unchanged, and every
ledger reads exactly as it does when each row is read and checked field by field."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook

from ducha.projects import spreadsheets
from ducha.projects.models import Industry
from ducha.projects.spreadsheets import columns, reading, template_headers

from .factories import make_project

TODAY = date(2020, 12, 15)
PLAN = "plan"  # the key of the 2020 plan column here


def base(name: str) -> dict[str, Any]:
    """A row by column key, every column filled as an office fills it."""
    return {
        "name": name,
        "company": "蜂巢能源科技有限公司",
        "unit": "金科园",
        "industry": "新能源汽车",
        "chain_position": "中游",
        "level": "省级重大项目",
        "category": "产业类",
        "construction_type": "新建",
        "stage": "开工",
        "total_investment": 800000,
        "currency": "人民币",
        PLAN: 150000.5,
        "responsible_leader": "沈东",
        "responsible_department": "住建局",
        "national_code": "2020-320482-38-03-512345",
        "in_statistics": "是",
        "statistics_date": date(2020, 4, 1),
        "foreign_funded": "否",
        "chain_segment": "动力电池",
        "annual_revenue": 500000,
        "target_date": date(2022, 6, 30),
        "signed_planned": date(2019, 5, 1),
        "signed_actual": date(2019, 6, 3),
        "started_planned": date(2020, 3, 1),
        "started_actual": date(2020, 3, 18),
        "completed_planned": date(2021, 12, 31),
        "production_planned": date(2020, 10, 1),
        "full_production_planned": date(2021, 12, 31),
        "capacities": "18GWh动力电池；20万套电池系统",
        "description": "年产动力电池及电池系统。",
    }


# One other value per column, each still a valid row (the date rules hold).
OTHER = {
    "company": "蜂巢能源（常州）有限公司",
    "industry": "光伏新能源",
    "chain_position": "上游",
    "level": "市重点项目",
    "category": "民生类",
    "construction_type": "续建",
    "stage": "竣工",
    "total_investment": 800000.01,
    "currency": "美元",
    PLAN: 150001,
    "responsible_leader": "王强",
    "responsible_department": "自然资源局",
    "national_code": "2020-320482-38-03-599999",
    "in_statistics": "否",
    "statistics_date": date(2020, 5, 1),
    "foreign_funded": "是",
    "chain_segment": "正极材料",
    "annual_revenue": 500001,
    "target_date": date(2022, 7, 1),
    "signed_planned": date(2019, 5, 2),
    "signed_actual": date(2019, 6, 4),
    "started_planned": date(2020, 3, 2),
    "started_actual": date(2020, 3, 19),
    "completed_planned": date(2022, 1, 1),
    "completed_actual": date(2020, 11, 30),
    "production_planned": date(2020, 10, 2),
    "production_actual": date(2020, 11, 1),
    "full_production_planned": date(2022, 1, 1),
    "full_production_actual": date(2020, 12, 10),
    "capacities": "18GWh动力电池；30万套电池系统",
    "description": "年产动力电池。",
}


def headers() -> dict[str, str]:
    """The template's headers (in Chinese) by column key; columns added to columns.COLUMNS come along."""
    with translation.override("zh-hans"):
        labels = template_headers(2020)
    template = spreadsheets.COLUMNS  # the template's, whatever a test adds to columns.COLUMNS
    keys = [c.key for c in template[:11]] + [PLAN] + [c.key for c in template[11:]]
    return dict(zip(keys, labels, strict=True))


def workbook(rows: list[dict[str, Any]], extra: dict[str, str] | None = None) -> bytes:
    named = {**headers(), **(extra or {})}
    book = Workbook()
    sheet = book.active
    sheet.append(list(named.values()))
    for values in rows:
        sheet.append([values.get(key) for key in named])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def stored(units, db):
    """Projects 项目0 … 项目N stored by importing the base rows, one per column of OTHER and a few more."""
    Industry.objects.create(name="新能源汽车")
    Industry.objects.create(name="光伏新能源")
    rows = [base(f"项目{i}") for i in range(len(OTHER) + 3)]
    ledger = spreadsheets.ledger_read(BytesIO(workbook(rows)), today=TODAY)
    assert ledger.ok, [str(e) for e in ledger.errors]
    spreadsheets.ledger_store(ledger=ledger)
    return rows


def _outcome(ledger) -> tuple[list, list[str]]:
    rows = [
        (
            r.row,
            r.action,
            r.changes,
            r.plans,
            r.stage_dates,
            r.capacities,
            {k: v for k, v in vars(r.project).items() if not k.startswith("_")},
        )
        for r in ledger.rows
    ]
    return rows, [str(e) for e in ledger.errors]


def read_both(content: bytes, monkeypatch) -> tuple[Any, set[int]]:
    """The ledger as read, after checking that it reads the same with every row read field by field; and the row
    numbers the shortcut took as unchanged."""
    taken: set[int] = set()
    find = reading._Unchanged.find

    def spy(self, batch, keys, stored):
        found = find(self, batch, keys, stored)
        taken.update(row.row for row in found.values())
        return found

    with monkeypatch.context() as patch:
        patch.setattr(reading._Unchanged, "find", spy)
        ledger = spreadsheets.ledger_read(BytesIO(content), today=TODAY)
    with monkeypatch.context() as patch:
        patch.setattr(reading._Unchanged, "find", lambda self, batch, keys, stored: {})
        field_by_field = spreadsheets.ledger_read(BytesIO(content), today=TODAY)
    assert _outcome(ledger) == _outcome(field_by_field)
    return ledger, taken


def test_a_re_imported_ledger_is_taken_as_unchanged_without_reading_its_rows(stored, monkeypatch):
    ledger, taken = read_both(workbook(stored), monkeypatch)
    assert ledger.ok, [str(e) for e in ledger.errors]
    assert {r.action for r in ledger.rows} == {"unchanged"}
    assert taken == {r.row for r in ledger.rows} and len(taken) == len(stored)


def test_a_row_differing_in_a_single_cell_of_any_column_is_not_taken_as_unchanged(stored, monkeypatch):
    named = headers()
    rows = [dict(values) for values in stored]
    changed: dict[int, str] = {}  # row number → the key of its one changed cell
    for number, (key, value) in enumerate(OTHER.items(), start=2):
        values = rows[number - 2]
        assert values.get(key) != value
        values[key] = value
        changed[number] = key
    ledger, taken = read_both(workbook(rows), monkeypatch)
    assert ledger.ok, [str(e) for e in ledger.errors]
    found = {r.row: r.changes for r in ledger.rows if r.row in changed}
    assert found == {number: [named[key]] for number, key in changed.items()}
    assert not taken & set(changed)
    assert {r.action for r in ledger.rows if r.row not in changed} == {"unchanged"}
    # Every column of the base row but the ones naming the project was changed once, and the empty actual dates.
    assert set(base("")) - {"name", "unit"} <= set(OTHER)


def test_a_row_naming_another_project_is_a_new_one(stored, monkeypatch):
    rows = [dict(stored[0], name="另一个项目"), dict(stored[1], unit="华科园")]
    ledger, taken = read_both(workbook(rows), monkeypatch)
    assert [r.action for r in ledger.rows] == ["create", "create"] and not taken


def test_cells_that_read_as_the_stored_values_leave_the_rows_unchanged(stored, units, monkeypatch):
    make_project(units["park"], "公式项目", company="=蜂巢", total_investment=800000)
    forms = {
        "company": " 蜂巢能源科技有限公司 ",  # spaces around
        "total_investment": "80亿元",  # text with its currency
        PLAN: "150000.50",
        "statistics_date": "2020-04-01",  # a date as text
        "in_statistics": "yes",
        "stage": "started",  # the stored value itself
        "capacities": "20万套电池系统；18GWh动力电池",  # another order
        "signed_actual": "2019年6月3日",
        "currency": "",  # an empty choice keeps the stored one
        "production_actual": None,  # an empty date keeps the stored one (none here)
    }
    rows = [dict(stored[i], **{key: value}) for i, (key, value) in enumerate(forms.items())]
    rows.append(
        {"name": "公式项目", "unit": "金科园", "company": "'=蜂巢", "total_investment": 800000.0000001}
    )
    ledger, taken = read_both(workbook(rows), monkeypatch)
    assert ledger.ok, [str(e) for e in ledger.errors]
    assert [(r.action, r.changes) for r in ledger.rows] == [("unchanged", [])] * len(rows)


def test_a_wrong_cell_in_an_otherwise_unchanged_row_is_a_problem(stored, monkeypatch):
    rows = [
        dict(stored[0], level="火星"),
        dict(stored[1], total_investment=None),
        dict(stored[2], industry="不存在的行业"),
        dict(stored[3], started_actual="2020-13-45"),
        dict(stored[4], total_investment="很多"),
        dict(stored[5], **{PLAN: "八亿美元"}),  # a plan in another currency than the project's
        stored[6],
    ]
    ledger, _taken = read_both(workbook(rows), monkeypatch)
    assert ledger.rows == []
    assert {e.row for e in ledger.errors} == {2, 3, 4, 5, 6}


def test_a_plan_in_another_currency_than_the_stored_project_is_a_problem(stored, monkeypatch):
    ledger, taken = read_both(workbook([dict(stored[0], **{PLAN: "1.5亿美元"}), stored[1]]), monkeypatch)
    assert [e.row for e in ledger.errors] == [2] and taken == {3}


def test_a_stored_project_failing_the_statistics_rule_is_told_so(stored, units, monkeypatch):
    make_project(units["park"], "未填入统日期", in_statistics=True, total_investment=800000)
    rows = [
        stored[0],
        {"name": "未填入统日期", "unit": "金科园", "total_investment": 800000, "in_statistics": "是"},
    ]
    ledger, taken = read_both(workbook(rows), monkeypatch)
    assert [(e.row, e.message) for e in ledger.errors] == [(3, "请填写项目入统日期。")]
    assert taken == {2}


def test_a_column_the_reader_does_not_read_is_left_alone(stored, monkeypatch):
    monkeypatch.setattr(
        columns, "COLUMNS", [*columns.COLUMNS, columns.Column("site_area", "Site area", ("占地面积",))]
    )
    rows = [dict(values, site_area=i) for i, values in enumerate(stored)]
    ledger, taken = read_both(workbook(rows, {"site_area": "占地面积"}), monkeypatch)
    assert ledger.ok and ledger.ignored_columns == []
    assert len(taken) == len(stored)


def test_a_column_read_but_not_compared_turns_the_shortcut_off(stored, monkeypatch):
    """A column a later change reads (here as text) without teaching _Unchanged to compare it: every row is
    then read field by field, as before."""
    monkeypatch.setattr(
        columns, "COLUMNS", [*columns.COLUMNS, columns.Column("site_area", "Site area", ("占地面积",))]
    )
    monkeypatch.setattr(reading, "TEXT_FIELDS", {*reading.TEXT_FIELDS, "site_area"})
    rows = [dict(values, site_area="30亩") for values in stored]
    ledger, taken = read_both(workbook(rows, {"site_area": "占地面积"}), monkeypatch)
    assert ledger.ok and {r.action for r in ledger.rows} == {"unchanged"}
    assert taken == set()


def test_number_cells_are_compared_a_column_at_a_time_as_they_read(stored, monkeypatch):
    """Amounts and plans compared column-wide (reading._same_floats): the same number as an int or a float is
    unchanged; a cent apart is a change; a number of more places is read as it reads (the plan, to cents)."""
    rows = [
        dict(stored[0], total_investment=800000.0),
        dict(stored[1], total_investment=800000.01),
        dict(stored[2], **{PLAN: 150000.50000001}),
        dict(stored[3], annual_revenue=500000.01),
        dict(stored[4], **{PLAN: 150000.49}),
        dict(stored[5], annual_revenue=500000.0),
    ]
    ledger, taken = read_both(workbook(rows), monkeypatch)
    assert ledger.ok, [str(e) for e in ledger.errors]
    assert taken == {2, 4, 7}
    assert [r.action for r in ledger.rows] == [
        "unchanged",
        "update",
        "unchanged",
        "update",
        "update",
        "unchanged",
    ]


def test_stored_rows_are_read_in_lists_longer_than_the_rows_compared_together(stored, monkeypatch):
    """A batch of rows is compared FIND_ROWS at a time against the stored rows loaded for the whole batch."""
    monkeypatch.setattr(reading, "FIND_ROWS", 4)
    rows = [dict(values) for values in stored]
    rows[5]["signed_actual"] = date(2019, 6, 4)
    rows[9][PLAN] = 150001
    ledger, taken = read_both(workbook(rows), monkeypatch)
    assert ledger.ok, [str(e) for e in ledger.errors]
    assert taken == {r.row for r in ledger.rows} - {7, 11}
    assert [r.row for r in ledger.rows if r.action == "update"] == [7, 11]


@pytest.mark.parametrize(
    "attname, value",
    [
        ("total_investment", "999999999999.99"),  # the field's largest amount, 14 digits
        ("total_investment", "0.01"),
        ("annual_revenue", "123456789012.35"),
        ("longitude", "-179.999999"),
        ("latitude", "31.123457"),
    ],
)
def test_amounts_and_degrees_read_as_floats_convert_back_to_the_stored_decimal(attname, value, units):
    """The stored rows hold amounts and degrees as floats (SQLite's own, PostgreSQL's numerics cast); the
    converter gives back the decimal the field stores, at the field's extremes too."""
    project = make_project(units["park"], "度量项目")
    location = {"longitude": Decimal("119.5"), "latitude": Decimal("31.7")}  # both or neither
    values = {**location, attname: Decimal(value)} if attname in location else {attname: Decimal(value)}
    type(project).objects.filter(pk=project.pk).update(**values)
    stored_rows = reading._StoredRows("default")
    (row,) = stored_rows.rows(type(project), ["id", attname], [project.name], raw=[attname])
    assert type(row[1]) in (float, int)
    assert stored_rows.converter(type(project), attname)(row[1]) == Decimal(value)
