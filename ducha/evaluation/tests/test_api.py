"""/api/evaluation: the list (drafts for the office only), results with items, a unit's flags."""

from ducha.api.models import ApiToken
from ducha.evaluation import services


def bearer(user):
    _token, key = ApiToken.issue(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_drafts_are_listed_for_the_office_only(client, scheme, sales_values, office, leader, park_user):
    published = services.evaluation_publish(
        evaluation=services.evaluation_compute(scheme=scheme, month=3, user=office), user=office
    )
    draft = services.evaluation_recompute(evaluation=published, user=office)
    office_ids = [e["id"] for e in client.get("/api/evaluation/", **bearer(office)).json()]
    leader_list = client.get("/api/evaluation/", **bearer(leader)).json()
    assert set(office_ids) == {published.pk, draft.pk}
    assert [(e["id"], e["status"], e["units"]) for e in leader_list] == [(published.pk, "published", 4)]
    assert client.get(f"/api/evaluation/{draft.pk}", **bearer(park_user)).status_code == 404


def test_detail_explains_each_units_score_item_by_item(client, scheme, sales_values, office, units):
    evaluation = services.evaluation_compute(scheme=scheme, month=3, user=office)
    data = client.get(f"/api/evaluation/{evaluation.pk}", **bearer(office)).json()
    town = next(r for r in data["results"] if r["unit_id"] == units["town"].pk)
    growth = town["items"][0]
    assert (town["flag"], town["place"], town["group_size"]) == ("red", 1, 2)
    assert growth["label"] == "开票增幅" and float(growth["points"]) == 100
    assert "place 1 of 2" in growth["explanation"]


def test_unit_flags_are_the_published_ones_and_scoped(client, scheme, sales_values, office, park_user, units):
    services.evaluation_publish(
        evaluation=services.evaluation_compute(scheme=scheme, month=3, user=office), user=office
    )
    services.evaluation_compute(scheme=scheme, month=3, user=office)  # a draft: not a flag yet
    flags = client.get(f"/api/evaluation/units/{units['park'].pk}/flags", **bearer(park_user)).json()
    assert [(f["year"], f["month"], f["flag"]) for f in flags] == [(2020, 3, "red")]
    response = client.get(f"/api/evaluation/units/{units['other_park'].pk}/flags", **bearer(park_user))
    assert response.status_code == 404


def test_auditor_token_reads_no_evaluation(client, auditor):
    assert client.get("/api/evaluation/", **bearer(auditor)).status_code == 403
