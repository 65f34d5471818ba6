"""The ledger's pages as Chinese is written: no stray separators or empty brackets, quantities without spaces."""

from datetime import date
from decimal import Decimal

import pytest

from ducha.projects.models import Capacity

from .factories import make_plan, make_project, make_report


@pytest.mark.parametrize(
    ("quantity", "unit", "product", "expected"),
    [
        (Decimal(18), "GWh", "动力电池", "18GWh动力电池"),
        (Decimal(100000), "吨", "正极材料", "10万吨正极材料"),
        (Decimal(100000), "t", "正极材料", "10万吨正极材料"),
        (Decimal(200000), "套", "电池系统", "20万套电池系统"),
        (Decimal("2.5"), "gwh", "储能电池", "2.5GWh储能电池"),
    ],
)
def test_a_capacity_is_written_without_spaces(quantity, unit, product, expected):
    assert str(Capacity(quantity=quantity, unit=unit, product=product)) == expected


def test_project_page_without_company_or_statistics_date_shows_no_stray_marks(client_for, office, units):
    project = make_project(units["park"], "金科园项目", company="", in_statistics=True)
    project.capacities.create(quantity=100000, unit="吨", product="正极材料")
    page = client_for(office).get(f"/projects/{project.pk}/").content.decode()
    assert (
        '<div class="text-muted small"> · ' not in page
        and '<div class="text-muted small">' + units["park"].name in page
    )
    assert "是 ()" not in page and "是</dd>" in page
    assert "10万吨正极材料" in page


def test_project_page_writes_the_statistics_date_in_chinese_brackets(client_for, office, units):
    project = make_project(units["park"], "金科园项目", in_statistics=True, statistics_date=date(2020, 5, 1))
    page = client_for(office).get(f"/projects/{project.pk}/").content.decode()
    assert "是（2020-05-01）" in page


def test_report_list_says_every_project_reported_instead_of_zero_missing(client_for, office, units):
    project = make_project(units["park"], "金科园项目")
    make_plan(project)
    make_report(project, 11, 1100, status="submitted")
    page = client_for(office).get("/projects/reports/", {"year": 2020, "month": 11}).content.decode()
    assert "本月各项目均已填报" in page and "0个项目未填报" not in page
    assert "2020年1-11月" in page and "2020-11" not in page


def test_report_list_names_the_projects_that_have_not_reported(client_for, office, units):
    make_plan(make_project(units["park"], "金科园项目"))
    page = client_for(office).get("/projects/reports/", {"year": 2020, "month": 11}).content.decode()
    assert "本月有1个项目未填报" in page and "本月各项目均已填报" not in page
