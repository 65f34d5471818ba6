"""The ledger import from .xlsx: row-level refusals, all or nothing, create and update, round trip, command, access."""

from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from ducha.jobs.models import Job
from ducha.projects import spreadsheets
from ducha.projects.models import AnnualPlan, Capacity, Industry, Project, StageDate

from .factories import make_plan, make_project, make_report

HEADER = [
    "项目名称",
    "投资主体",
    "板块",
    "所属行业",
    "产业链环节",
    "项目级别",
    "项目类别",
    "新建/续建",
    "阶段",
    "总投资（万元）",
    "币种",
    "2020年计划投资（万元）",
    "计划开工",
    "实际开工",
    "计划竣工",
    "设计产能",
    "国家项目代码",
]


def row(**over):
    values = {
        "项目名称": "蜂巢能源动力电池项目",
        "投资主体": "蜂巢能源科技有限公司",
        "板块": "金科园",
        "所属行业": "新能源汽车",
        "产业链环节": "中游",
        "项目级别": "省级重大项目",
        "项目类别": "产业类",
        "新建/续建": "新建",
        "阶段": "开工",
        "总投资（万元）": "80亿元",
        "币种": "",
        "2020年计划投资（万元）": 150000,
        "计划开工": "2020-03-01",
        "实际开工": date(2020, 3, 18),
        "计划竣工": "2021年12月31日",
        "设计产能": "18GWh动力电池；20万套电池系统",
        "国家项目代码": "2020-320482-38-03-512345",
    }
    values.update(over)
    return values


def workbook(*rows, header=HEADER, title_row=False) -> BytesIO:
    book = Workbook()
    sheet = book.active
    if title_row:
        sheet.append(["2020年金坛区重点项目台账"])
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(h) for h in header])
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.fixture
def industry(db):
    return Industry.objects.create(name="新能源汽车")


def errors_of(ledger) -> list[tuple]:
    return [(e.row, e.column, e.value) for e in ledger.errors]


TODAY = date(2020, 12, 15)


# ---------------------------------------------------------------- pure readers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18GWh动力电池", [(Decimal(18), "GWh", "动力电池")]),
        (
            "18GWh动力电池；20万套电池系统",
            [(Decimal(18), "GWh", "动力电池"), (Decimal(200000), "套", "电池系统")],
        ),
        ("年产5万吨正极材料", [(Decimal(50000), "吨", "正极材料")]),
        ("1.5亿片 芯片, 300台 整车", [(Decimal(150000000), "片", "芯片"), (Decimal(300), "台", "整车")]),
        ("", []),
    ],
)
def test_capacities_are_read_as_quantity_unit_and_product(text, expected):
    assert [(c.quantity, c.unit, c.product) for c in spreadsheets.parse_capacities(text)] == expected


def test_a_capacity_without_a_number_is_refused():
    with pytest.raises(spreadsheets.CellError):
        spreadsheets.parse_capacities("大量动力电池")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (80000, (Decimal(80000), None)),
        ("80亿元", (Decimal(800000), "CNY")),
        ("7.2亿美元", (Decimal(72000), "USD")),
        ("2500万", (Decimal(2500), None)),
        ("1,200", (Decimal(1200), None)),
        (1234.5600000001, (Decimal("1234.56"), None)),
        (None, (None, None)),
    ],
)
def test_money_cells_take_numbers_in_wan_and_text(cell, expected):
    assert spreadsheets.parse_money(cell) == expected


@pytest.mark.parametrize("cell", ["很多", -5, "-5", True])
def test_bad_money_cells_are_refused(cell):
    with pytest.raises(spreadsheets.CellError):
        spreadsheets.parse_money(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2020-03-15", date(2020, 3, 15)),
        ("2020/3/5", date(2020, 3, 5)),
        ("2020年3月15日", date(2020, 3, 15)),
        ("2020年3月", date(2020, 3, 1)),
        (None, None),
    ],
)
def test_dates_are_read_from_text(cell, expected):
    assert spreadsheets.parse_date(cell) == expected


# ---------------------------------------------------------------- create, update


def test_a_new_row_creates_the_project_with_plan_stage_dates_and_capacities(units, industry):
    ledger = spreadsheets.ledger_read(workbook(row()), today=TODAY)
    assert ledger.ok, [str(e) for e in ledger.errors]
    assert (ledger.created, ledger.updated) == (1, 0)
    spreadsheets.ledger_store(ledger=ledger)
    assert (ledger.created, ledger.updated) == (1, 0)  # the summary shown after storing stays right
    project = Project.objects.get(name="蜂巢能源动力电池项目")
    assert project.unit == units["park"] and project.industry == industry
    assert (project.level, project.category, project.chain_position, project.stage) == (
        "provincial",
        "industrial",
        "midstream",
        "started",
    )
    assert project.total_investment == Decimal(800000) and project.currency == "CNY"
    assert AnnualPlan.objects.get(project=project, year=2020).planned_investment == Decimal(150000)
    started = StageDate.objects.get(project=project, stage="started")
    assert (started.planned_date, started.actual_date) == (date(2020, 3, 1), date(2020, 3, 18))
    assert StageDate.objects.get(project=project, stage="completed").planned_date == date(2021, 12, 31)
    assert sorted(Capacity.objects.filter(project=project).values_list("unit", "product")) == [
        ("GWh", "动力电池"),
        ("套", "电池系统"),
    ]
    assert LogEntry.objects.get_for_object(project).count() == 1


def test_a_row_matching_unit_and_name_updates_the_stored_project(units, industry):
    stored = make_project(units["park"], "蜂巢能源动力电池项目", total_investment=Decimal(500000))
    ledger = spreadsheets.ledger_read(workbook(row(**{"总投资（万元）": 800000})), today=TODAY)
    assert ledger.ok and (ledger.created, ledger.updated) == (0, 1)
    assert "总投资（万元）" in ledger.rows[0].changes
    spreadsheets.ledger_store(ledger=ledger)
    stored.refresh_from_db()
    assert stored.total_investment == Decimal(800000) and stored.industry == industry
    assert Project.objects.count() == 1
    assert LogEntry.objects.get_for_object(stored).filter(action=LogEntry.Action.UPDATE).count() == 1


@pytest.mark.parametrize("name", ['甲"乙"项目', "甲\\乙项目", "甲,乙{丙}项目", "甲'乙 NULL 项目"])
def test_a_stored_name_with_quotes_commas_or_backslashes_is_found(units, industry, name):
    # PostgreSQL reads the stored projects by an array literal of their names (reading._array_parameter).
    stored = make_project(units["park"], name, total_investment=Decimal(500000))
    ledger = spreadsheets.ledger_read(workbook(row(项目名称=name, **{"总投资（万元）": 800000})), today=TODAY)
    assert ledger.ok and (ledger.created, ledger.updated) == (0, 1), [str(e) for e in ledger.errors]
    assert ledger.rows[0].project.pk == stored.pk


def test_the_same_name_in_another_unit_is_another_project(units, industry):
    make_project(units["other_park"], "蜂巢能源动力电池项目")
    ledger = spreadsheets.ledger_read(workbook(row()), today=TODAY)
    assert ledger.ok and ledger.created == 1


def test_a_foreign_currency_amount_sets_the_currency(units, industry):
    ledger = spreadsheets.ledger_read(
        workbook(row(**{"总投资（万元）": "7.2亿美元", "2020年计划投资（万元）": None})), today=TODAY
    )
    assert ledger.ok
    spreadsheets.ledger_store(ledger=ledger)
    project = Project.objects.get()
    assert (project.total_investment, project.currency) == (Decimal(72000), "USD")


def test_codes_and_english_headers_are_accepted_and_a_title_row_is_skipped(units, industry):
    header = ["Project name", "Unit", "Level", "Stage", "Total investment (10k)", "Currency"]
    values = {
        "Project name": "信维通信项目",
        "Unit": "金坛华罗庚科技产业园",
        "Level": "city",
        "Stage": "planning",
        "Total investment (10k)": 30000,
        "Currency": "CNY",
    }
    ledger = spreadsheets.ledger_read(workbook(values, header=header, title_row=True), today=TODAY)
    assert ledger.ok, [str(e) for e in ledger.errors]
    assert ledger.rows[0].row == 3  # as Excel shows it, below the title and the header
    assert ledger.rows[0].project.level == "city"


def test_lights_are_refreshed_for_the_stored_projects(units, industry):
    ledger = spreadsheets.ledger_read(
        workbook(row(**{"阶段": "谋划", "实际开工": None, "计划开工": "2020-01-01"})), today=TODAY
    )
    assert ledger.ok
    spreadsheets.ledger_store(ledger=ledger)
    project = Project.objects.get()
    assert project.light_reasons  # a project planned to start in January and not started is flagged


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("over", "column", "value"),
    [
        ({"板块": "不存在镇"}, "板块", "不存在镇"),
        ({"所属行业": "不存在行业"}, "所属行业", "不存在行业"),
        ({"总投资（万元）": "很多"}, "总投资（万元）", "很多"),
        ({"总投资（万元）": -100}, "总投资（万元）", "-100"),
        ({"2020年计划投资（万元）": "不详"}, "2020年计划投资（万元）", "不详"),
        ({"项目级别": "国家级"}, "项目级别", "国家级"),
        ({"阶段": "停工"}, "阶段", "停工"),
        ({"国家项目代码": "2020-3204"}, "国家项目代码", "2020-3204"),
        ({"计划竣工": "2019-12-31"}, "计划竣工", "2019-12-31"),
        ({"实际开工": "2099-01-01"}, "实际开工", "2099-01-01"),
        ({"计划开工": "明年"}, "计划开工", "明年"),
        ({"设计产能": "很大"}, "设计产能", "很大"),
        ({"总投资（万元）": None}, "总投资（万元）", ""),
    ],
)
def test_a_bad_cell_is_refused_naming_row_column_and_value(units, industry, over, column, value):
    ledger = spreadsheets.ledger_read(workbook(row(), row(项目名称="第二个项目", **over)), today=TODAY)
    assert errors_of(ledger) == [(3, column, value)]
    assert ledger.errors[0].message
    assert ledger.rows == []


def test_a_duplicate_unit_and_name_in_the_file_is_refused(units, industry):
    ledger = spreadsheets.ledger_read(workbook(row(), row(板块="金坛区金科园")), today=TODAY)
    assert errors_of(ledger) == [(3, "项目名称", "蜂巢能源动力电池项目")]
    assert "2" in ledger.errors[0].message


def test_a_missing_required_column_is_refused(units, industry):
    header = [h for h in HEADER if h != "总投资（万元）"]
    ledger = spreadsheets.ledger_read(workbook(row(), header=header), today=TODAY)
    assert len(ledger.errors) == 1 and ledger.errors[0].row == 1
    assert ledger.errors[0].column in {"Total investment (10k)", "总投资（万元）"}


def test_a_file_that_is_not_xlsx_is_refused(db):
    ledger = spreadsheets.ledger_read(BytesIO(b"name,unit\nfoo,bar\n"))
    assert len(ledger.errors) == 1 and ".xlsx" in ledger.errors[0].message


def test_a_file_that_is_too_large_is_refused(db, settings):
    settings.DUCHA_MAX_IMPORT_BYTES = 100
    ledger = spreadsheets.ledger_read(workbook(row()))
    assert len(ledger.errors) == 1 and "MB" in ledger.errors[0].message


def test_a_ledger_workbook_may_be_larger_than_an_attachment(units, industry, settings):
    # A province's ledger export (about 17 MB per 100,000 projects) is imported back; attachments stay small.
    settings.DUCHA_MAX_UPLOAD_BYTES = 100
    assert spreadsheets.ledger_read(workbook(row())).ok
    assert settings.DUCHA_MAX_IMPORT_BYTES >= 40 * 1024 * 1024


def test_one_bad_row_stores_nothing(units, industry, client_for, office, settings, tmp_path):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    client = client_for(office)
    upload = SimpleUploadedFile(
        "ledger.xlsx", workbook(row(), row(项目名称="坏项目", 板块="火星")).getvalue()
    )
    response = client.post("/projects/import/", {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200 and "火星" in body and 'name="token"' not in body
    assert Project.objects.count() == 0


# ---------------------------------------------------------------- web


def test_office_uploads_previews_and_confirms(units, industry, client_for, office, settings, tmp_path):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    make_project(units["park"], "已有项目", total_investment=Decimal(1000))
    client = client_for(office)
    upload = SimpleUploadedFile(
        "ledger.xlsx", workbook(row(), row(项目名称="已有项目", **{"总投资（万元）": 2000})).getvalue()
    )
    response = client.post("/projects/import/", {"file": upload})
    body = response.content.decode()
    assert response.status_code == 200 and "蜂巢能源动力电池项目" in body
    assert Project.objects.count() == 1  # the preview stores nothing
    token = response.context["token"]
    response = client.post("/projects/import/", {"token": token})
    job = Job.objects.get()  # storing is a background job: the page shows its progress
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert Project.objects.count() == 1
    call_command("worker", "--once", stdout=StringIO())
    page = client.get(response.url).content.decode()
    assert "新增项目1个" in page  # the message the import page showed before, now on the job page
    assert Project.objects.count() == 2
    assert Project.objects.get(name="已有项目").total_investment == Decimal(2000)
    assert not list(tmp_path.rglob("*.xlsx"))  # the stashed upload is removed


def test_an_unknown_token_is_refused(units, client_for, office, settings, tmp_path):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    response = client_for(office).post("/projects/import/", {"token": "../../etc/passwd"})
    assert response.status_code == 302 and response.url == "/projects/import/"


def test_another_users_token_is_not_accepted(units, industry, client_for, office, settings, tmp_path):
    from ducha.accounts.models import Role, User

    settings.DUCHA_PRIVATE_ROOT = tmp_path
    client = client_for(office)
    upload = SimpleUploadedFile("ledger.xlsx", workbook(row()).getvalue())
    token = client.post("/projects/import/", {"file": upload}).context["token"]
    other = User.objects.create_user(username="office2", password="pw-for-tests-1", role=Role.OFFICE)
    response = client_for(other).post("/projects/import/", {"token": token})
    assert response.status_code == 302 and Project.objects.count() == 0


def test_an_upload_that_is_not_xlsx_gets_a_clear_message(units, client_for, office):
    upload = SimpleUploadedFile("ledger.xls", b"\xd0\xcf\x11\xe0 old excel")
    response = client_for(office).post("/projects/import/", {"file": upload})
    assert response.status_code == 200 and ".xlsx" in response.content.decode()


def test_the_template_downloads_with_the_export_headers(units, client_for, office):
    response = client_for(office).get("/projects/import/template.xlsx")
    assert response.status_code == 200
    header = [c.value for c in load_workbook(BytesIO(response.content)).worksheets[0][1]]
    assert header[:3] == ["项目名称", "投资主体", "板块"] and "总投资（万元）" in header


def test_the_empty_template_is_refused_as_having_no_rows(units, client_for, office):
    content = client_for(office).get("/projects/import/template.xlsx").content
    ledger = spreadsheets.ledger_read(BytesIO(content))
    assert len(ledger.errors) == 1 and ledger.errors[0].row is None


@pytest.mark.parametrize("url", ["/projects/import/", "/projects/import/template.xlsx"])
def test_only_the_office_may_import(units, client_for, park_user, leader, url):
    assert client_for(park_user).get(url).status_code == 403
    assert client_for(leader).get(url).status_code == 403


@pytest.mark.parametrize("url", ["/projects/import/", "/projects/import/template.xlsx"])
def test_anonymous_visitor_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_only_the_office_sees_the_import_button(units, client_for, office, park_user):
    assert "/projects/import/" in client_for(office).get("/projects/").content.decode()
    assert "/projects/import/" not in client_for(park_user).get("/projects/").content.decode()


def _preview_queries(client, rows) -> int:
    upload = SimpleUploadedFile("ledger.xlsx", workbook(*rows).getvalue())
    with CaptureQueriesContext(connection) as ctx:
        response = client.post("/projects/import/", {"file": upload})
    assert response.status_code == 200 and response.context["ledger"].ok
    return len(ctx.captured_queries)


def test_preview_queries_do_not_grow_with_the_rows(units, industry, client_for, office, settings, tmp_path):
    settings.DUCHA_PRIVATE_ROOT = tmp_path
    for i in range(10):
        make_project(units["park"], f"项目{i}")
    client = client_for(office)
    one = _preview_queries(client, [row(项目名称="项目0")])
    many = _preview_queries(client, [row(项目名称=f"项目{i}") for i in range(10)] + [row(项目名称="新项目")])
    assert one == many


# ---------------------------------------------------------------- round trip


def test_importing_the_exported_ledger_changes_nothing(units, industry, client_for, office):
    first = make_project(
        units["park"],
        "蜂巢能源动力电池项目",
        industry=industry,
        chain_position="midstream",
        level="provincial",
        national_code="2020-320482-38-03-512345",
        in_statistics=True,
        statistics_date=date(2020, 4, 1),
        responsible_department=units["department"],
        responsible_leader="沈东",
        company="=蜂巢",
    )
    make_plan(first, amount="150000.50")
    make_report(first, 3, 20000)
    second = make_project(
        units["town"],
        "金城镇民生项目",
        category="livelihood",
        currency="USD",
        total_investment=Decimal("7200.25"),
        construction_type="continuing",
    )
    make_plan(second, amount=300)
    content = client_for(office).get("/projects/export.xlsx").content
    ledger = spreadsheets.ledger_read(BytesIO(content))
    assert ledger.ok, [str(e) for e in ledger.errors]
    assert [(r.action, r.changes) for r in ledger.rows] == [("unchanged", []), ("unchanged", [])]
    entries = LogEntry.objects.count()
    assert spreadsheets.ledger_store(ledger=ledger) == []
    assert LogEntry.objects.count() == entries


# ---------------------------------------------------------------- command


def test_command_dry_run_prints_the_summary_and_stores_nothing(units, industry, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook(row()).getvalue())
    out = StringIO()
    call_command("import_projects", str(path), "--dry-run", stdout=out)
    assert "1 to create" in out.getvalue() and "Dry run" in out.getvalue()
    assert Project.objects.count() == 0
    call_command("import_projects", str(path), stdout=StringIO())
    assert Project.objects.count() == 1


def test_command_with_errors_prints_them_on_stderr_and_exits_with_1(units, industry, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook(row(板块="火星")).getvalue())
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_projects", str(path), stderr=err)
    assert excinfo.value.returncode == 1
    assert "火星" in err.getvalue()
    assert Project.objects.count() == 0


def test_command_exit_code_is_1_from_the_console(units, industry, tmp_path):
    from django.core.management import ManagementUtility

    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook(row(板块="火星")).getvalue())
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(["ducha", "import_projects", str(path)]).execute()
    assert excinfo.value.code == 1
