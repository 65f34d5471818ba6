"""The office's scheme pages: a new year by copying, items, flag rule, peer groups, manual scores."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ducha.evaluation import services
from ducha.evaluation.choices import Method, Source
from ducha.evaluation.models import ManualScore, Scheme, SchemeItem, SchemePeerGroup
from ducha.units.models import PeerGroup, Unit, UnitKind


def _items_post(scheme, rows, **extra):
    """The scheme form's POST data with `rows` (dicts of item fields; "id" for stored items)."""
    data = {
        "name": scheme.name,
        "flag_rule": scheme.flag_rule,
        "red_min": "" if scheme.red_min is None else scheme.red_min,
        "blue_min": "" if scheme.blue_min is None else scheme.blue_min,
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": sum(1 for r in rows if r.get("id")),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{index}-{key}"] = value
    for unit in Unit.objects.areas():
        data[f"group_{unit.pk}"] = unit.peer_group
    data.update(extra)
    return data


def _row(item, **changes):
    row = {
        "id": item.pk,
        "scheme": item.scheme_id,
        "order": item.order,
        "label": item.label,
        "source": item.source,
        "indicator": item.indicator_id or "",
        "weight": item.weight,
        "method": item.method,
        "target": "" if item.target is None else item.target,
        "cap_percent": f"{(item.cap * 100).normalize():f}",
    }
    row.update(changes)
    return row


def test_office_creates_next_years_scheme_by_copying_last_years(scheme, units, office, client_for):
    SchemePeerGroup.objects.create(scheme=scheme, unit=units["street"], peer_group=PeerGroup.PARKS)
    scheme.flag_rule, scheme.red_min, scheme.blue_min = "thresholds", 90, 75
    scheme.save()
    response = client_for(office).post(
        reverse("evaluation:schemes"), {"year": 2021, "name": "2021年绩效评价"}
    )
    new = Scheme.objects.get(year=2021)
    assert response.status_code == 302 and response.url == reverse("evaluation:scheme_edit", args=[new.pk])
    assert [(i.label, i.weight) for i in new.items.all()] == [("开票增幅", D(60)), ("问题销号率", D(40))]
    assert (new.flag_rule, new.red_min, new.blue_min) == ("thresholds", D(90), D(75))
    assert new.peer_groups.get().unit == units["street"]
    assert scheme.items.count() == 2


def test_a_second_scheme_for_a_year_is_refused_with_a_message(scheme, office, client_for):
    response = client_for(office).post(reverse("evaluation:schemes"), {"year": 2020, "name": "again"})
    assert response.status_code == 200
    assert "There is already a scheme for 2020." in response.content.decode()
    assert Scheme.objects.count() == 1


def test_the_first_scheme_starts_empty(units, office, client_for):
    client_for(office).post(reverse("evaluation:schemes"), {"year": 2020, "name": "2020年"})
    assert Scheme.objects.get().items.count() == 0


def test_office_edits_items_flag_rule_and_peer_groups(scheme, sales, units, office, client_for):
    growth, closure = scheme.items.all()
    data = _items_post(
        scheme,
        [
            _row(growth, weight="50", label="开票销售增幅"),
            _row(closure, cap_percent="110"),
            {
                "scheme": scheme.pk,
                "order": 3,
                "label": "综合评议",
                "source": Source.MANUAL,
                "weight": "10",
                "method": Method.RATIO,
                "target": "100",
                "cap_percent": "100",
            },
        ],
        flag_rule="thresholds",
        red_min="85",
        blue_min="70",
        **{f"group_{units['street'].pk}": PeerGroup.PARKS},
    )
    response = client_for(office).post(reverse("evaluation:scheme_edit", args=[scheme.pk]), data)
    ctx = response.context
    assert response.status_code == 302, (
        ctx["form"].errors,
        ctx["items"].errors,
        ctx["items"].non_form_errors(),
        ctx["groups"].errors,
    )
    scheme.refresh_from_db()
    assert (scheme.flag_rule, scheme.red_min) == ("thresholds", D(85))
    assert [(i.label, i.weight, i.cap) for i in scheme.items.all()] == [
        ("开票销售增幅", D(50), D("1.2")),
        ("问题销号率", D(40), D("1.1")),
        ("综合评议", D(10), D("1.0")),
    ]
    assert list(scheme.peer_groups.values_list("unit__name", "peer_group")) == [("东城街道", "parks")]


def test_peer_groups_of_the_scheme_decide_who_is_compared_with_whom(scheme, sales_values, units, office):
    SchemePeerGroup.objects.create(scheme=scheme, unit=units["street"], peer_group=PeerGroup.PARKS)
    evaluation = services.evaluation_compute(scheme=scheme, month=3, user=office)
    groups = dict(evaluation.results.values_list("unit__name", "peer_group"))
    assert groups["东城街道"] == "parks" and groups["金城镇"] == "towns_streets"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight": "0"}, "A weight must be above 0."),
        ({"weight": "-5"}, "A weight must be above 0."),
        ({"cap_percent": "90"}, "The cap must be at least 100%."),
    ],
)
def test_weights_and_caps_are_checked(scheme, office, client_for, changes, message):
    growth, closure = scheme.items.all()
    data = _items_post(scheme, [_row(growth, **changes), _row(closure)])
    response = client_for(office).post(reverse("evaluation:scheme_edit", args=[scheme.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SchemeItem.objects.get(pk=growth.pk).weight == D(60)


def test_duplicate_items_are_refused_and_nothing_is_saved(scheme, office, client_for):
    growth, closure = scheme.items.all()
    copy = _row(growth, id="", weight="5", label="开票增幅（二）", order=3)
    data = _items_post(scheme, [_row(growth, weight="1"), _row(closure), copy])
    response = client_for(office).post(reverse("evaluation:scheme_edit", args=[scheme.pk]), data)
    assert response.status_code == 200
    assert "measures the same indicator the same way as item 1" in response.content.decode()
    assert scheme.items.count() == 2 and SchemeItem.objects.get(pk=growth.pk).weight == D(60)


def test_thresholds_need_both_lines(scheme, office, client_for):
    growth, closure = scheme.items.all()
    data = _items_post(
        scheme, [_row(growth), _row(closure)], flag_rule="thresholds", red_min="80", blue_min=""
    )
    response = client_for(office).post(reverse("evaluation:scheme_edit", args=[scheme.pk]), data)
    assert response.status_code == 200
    assert "need both the red and the blue line" in response.content.decode()


def test_office_deletes_an_item(scheme, office, client_for):
    growth, closure = scheme.items.all()
    data = _items_post(scheme, [_row(growth), _row(closure, DELETE="on")])
    assert (
        client_for(office).post(reverse("evaluation:scheme_edit", args=[scheme.pk]), data).status_code == 302
    )
    assert list(scheme.items.values_list("label", flat=True)) == ["开票增幅"]


def test_the_database_refuses_a_zero_weight_and_a_cap_below_100_percent(scheme):
    for changes in ({"weight": 0}, {"cap": D("0.9")}):
        with pytest.raises(IntegrityError), transaction.atomic():
            SchemeItem.objects.create(
                scheme=scheme,
                label="x",
                source=Source.START_RATE,
                method=Method.RATIO,
                target=100,
                **{"weight": 10, **changes},
            )


def test_service_refuses_duplicate_labels(scheme, office):
    growth, closure = scheme.items.all()
    closure.label = growth.label
    with pytest.raises(ValidationError, match="same name as item 1"):
        services.scheme_save(scheme=scheme, items=[growth, closure], deleted=[], peer_groups={}, user=office)


@pytest.mark.parametrize("name", ["evaluation:schemes"])
def test_only_the_office_manages_schemes(scheme, park_user, leader, office, client_for, name):
    assert client_for(park_user).get(reverse(name)).status_code == 403
    assert client_for(leader).get(reverse(name)).status_code == 403
    assert client_for(office).get(reverse(name)).status_code == 200
    for view in ("evaluation:scheme_edit", "evaluation:manual_scores"):
        assert client_for(leader).get(reverse(view, args=[scheme.pk])).status_code == 403


def test_office_enters_manual_scores_for_a_period(scheme, units, office, client_for):
    manual = SchemeItem.objects.create(
        scheme=scheme,
        label="综合评议",
        source=Source.MANUAL,
        weight=10,
        method=Method.RATIO,
        target=100,
        cap=1,
    )
    ManualScore.objects.create(item=manual, unit=units["street"], month=3, score=50)
    url = reverse("evaluation:manual_scores", args=[scheme.pk]) + "?month=3"
    response = client_for(office).post(
        url, {f"score_{manual.pk}_{units['town'].pk}": "92.5", f"score_{manual.pk}_{units['street'].pk}": ""}
    )
    assert response.status_code == 302
    assert list(ManualScore.objects.values_list("unit__name", "month", "score")) == [("金城镇", 3, D("92.5"))]


def test_a_manual_score_above_100_is_named_and_nothing_is_saved(scheme, units, office, client_for):
    manual = SchemeItem.objects.create(
        scheme=scheme,
        label="综合评议",
        source=Source.MANUAL,
        weight=10,
        method=Method.RATIO,
        target=100,
        cap=1,
    )
    url = reverse("evaluation:manual_scores", args=[scheme.pk]) + "?month=3"
    response = client_for(office).post(
        url, {f"score_{manual.pk}_{units['town'].pk}": "90", f"score_{manual.pk}_{units['park'].pk}": "120"}
    )
    assert response.status_code == 200
    assert "金科园 · 综合评议" in response.content.decode()
    assert not ManualScore.objects.exists()


def test_scheme_pages_query_count_does_not_grow_with_units(scheme, units, office, client_for):
    SchemeItem.objects.create(
        scheme=scheme,
        label="综合评议",
        source=Source.MANUAL,
        weight=10,
        method=Method.RATIO,
        target=100,
        cap=1,
    )
    client = client_for(office)
    urls = [
        reverse("evaluation:scheme_edit", args=[scheme.pk]),
        reverse("evaluation:manual_scores", args=[scheme.pk]) + "?month=3",
    ]

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = [count(url) for url in urls]
    for i in range(12):
        Unit.objects.create(name=f"测试镇{i}", kind=UnitKind.TOWN, peer_group=PeerGroup.TOWNS_STREETS)
    assert [count(url) for url in urls] == few


def test_chinese_scheme_pages(scheme, office, client_for, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    html = client_for(office).get(reverse("evaluation:scheme_edit", args=[scheme.pk])).content.decode()
    assert "同类组别" in html and "权重" in html and "封顶" in html


def test_scheme_editor_query_count_does_not_grow_with_items(scheme, office, client_for):
    client = client_for(office)
    url = reverse("evaluation:scheme_edit", args=[scheme.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(8):
        SchemeItem.objects.create(
            scheme=scheme,
            label=f"人工项{i}",
            source=Source.MANUAL,
            weight=1,
            method=Method.RATIO,
            target=100,
            cap=1,
            order=100 + i,
        )
    assert count() == few
