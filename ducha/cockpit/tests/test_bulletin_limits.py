"""The bulletin's lists of projects stop at a top N with a line counting the rest; the counts stay complete."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document

from ducha.cockpit import bulletin
from ducha.cockpit.services import bulletin_publish
from ducha.lib.periods import Period
from ducha.projects.models import Project
from ducha.projects.services import project_lights_for_period

from .conftest import MONTH, YEAR, make_project


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def crowded(world, units):
    """Four more signed projects, planned to start this year and not started, far behind their plan (red)."""
    for i in range(4):
        make_project(
            f"未开工项目{i}",
            units["town"],
            stage="signed",
            plan=50000,
            done=1000,
            total=200000 + i,
            planned_start=datetime.date(2020, 3 + i, 1),
        )
    return world


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    return "\n".join(p.text for p in doc.paragraphs)


def test_lists_show_the_top_n_and_count_the_rest_while_the_counts_stay_complete(
    crowded, office, client_for, monkeypatch
):
    full = bulletin.collect(Period(YEAR, MONTH))
    monkeypatch.setattr(bulletin, "LIST_LIMIT", 2)
    item = bulletin_publish(year=YEAR, month=MONTH, user=office)
    s = item.content["signed_starts"]
    # Complete counts per unit and in total, whatever the list shows.
    assert s["rows"] == full["signed_starts"]["rows"] and s["total"] == [6, 1, "16.7%"]
    # The two longest overdue are listed, the other three counted.
    assert [r[0] for r in s["not_started"]] == ["未开工项目0", "未开工项目1"]
    assert s["not_started_more"] == 3 and len(full["signed_starts"]["not_started"]) == 5
    lights = project_lights_for_period(projects=list(Project.objects.all()), period=Period(YEAR, MONTH))
    red = sum(1 for light in lights.values() if light.colour == "red")
    assert red == len(full["lagging"]["rows"]) > 2
    assert len(item.content["lagging"]["rows"]) == 2 and item.content["lagging"]["more"] == red - 2
    assert item.content["overview"]["lights"][0][1] == red

    lines = ["另有3个项目未列出。", f"另有{red - 2}个项目未列出。"]
    html = client_for(office).get(item.get_absolute_url()).content.decode()
    assert [line in html for line in lines] == [True, True]
    docx = _docx_text(client_for(office).get(reverse("cockpit:bulletin_docx", args=[item.pk])).content)
    assert [line in docx for line in lines] == [True, True]


def test_a_list_that_fits_has_no_line_about_the_rest(world, office, client_for):
    item = bulletin_publish(year=YEAR, month=MONTH, user=office)
    assert item.content["signed_starts"]["not_started_more"] == 0 and item.content["lagging"]["more"] == 0
    html = client_for(office).get(item.get_absolute_url()).content.decode()
    assert "未列出" not in html and "bulletin-more" not in html


def test_old_content_without_counts_reads_as_complete_lists(world, office):
    content = bulletin_publish(year=YEAR, month=MONTH, user=office).content
    del content["signed_starts"]["not_started_more"], content["lagging"]["more"]
    t = bulletin.tables(content)
    assert t["not_started"].more == 0 and t["lagging"].more == 0 and t["lagging"].more_line == ""
