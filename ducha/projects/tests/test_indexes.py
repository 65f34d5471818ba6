"""Every ledger sort and filter has an index (issue 13 §5): checked in the schema on any database, and on
PostgreSQL by the plan of the default ledger page, which reads the projects in index order instead of
scanning and sorting them all."""

import pytest
from django.db import connection

from ducha.lib.periods import Period
from ducha.projects import selectors
from ducha.projects.models import Project

from .factories import make_project

# (columns, descending?) as the ledger sorts and filters need them; the foreign keys' own indexes serve the
# unit and industry filters.
NEEDED = {
    "default order -total_investment, name": ["total_investment", "name"],
    "by name": ["name"],
    "by -updated_at": ["updated_at"],
    "filter unit": ["unit_id"],
    "filter industry": ["industry_id"],
    "filter level": ["level"],
    "filter light": ["light"],
    "filter construction type": ["construction_type"],
    "filter chain position": ["chain_position"],
    "filter stage": ["stage"],
}


def _indexed_column_lists() -> list[list[str]]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Project._meta.db_table)
    return [c["columns"] for c in constraints.values() if c["index"] or c["unique"]]


@pytest.mark.django_db
@pytest.mark.parametrize("need", NEEDED)
def test_every_ledger_sort_and_filter_has_an_index(need):
    """An index whose leading columns are the sort's or filter's columns, in the database's own schema."""
    columns = NEEDED[need]
    assert any(indexed[: len(columns)] == columns for indexed in _indexed_column_lists()), need


@pytest.mark.django_db
def test_the_default_order_index_is_descending_on_the_investment():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Project._meta.db_table)
    index = constraints["project_ledger_default_order"]
    assert index["columns"] == ["total_investment", "name"]
    if connection.vendor == "postgresql":  # SQLite's introspection does not report the order
        assert index["orders"] == ["DESC", "ASC"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_default_ledger_page_reads_projects_in_index_order(office, units):
    """At test size the planner would rightly scan 30 rows; with sequential scans made dear, as they are at
    100,000 projects, the page's 50 rows come from the index without a sort."""
    for i in range(30):
        make_project(units["park"], f"项目{i}", total_investment=1000 + i)
    page = selectors.ledger(office, {}, Period(2020, 3))[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Sorting made dear too: with 30 rows the planner may otherwise sort another index's rows (a merge join
        # on the department), which it would not do at 100,000; without the index every plan would sort.
        cursor.execute("SET LOCAL enable_sort = off")
        plan = page.explain()
    top = plan.split("SubPlan")[0]  # the outer query, before the period figures' subqueries
    assert "project_ledger_default_order" in top, plan
    assert "Seq Scan on projects_project" not in top and "Sort" not in top, plan
