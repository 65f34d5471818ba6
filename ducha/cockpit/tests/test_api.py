"""/api/bulletins: the published bulletins, paged, with their frozen figures and structured period."""

from ducha.api.models import ApiToken
from ducha.cockpit.services import bulletin_publish


def bearer(user):
    _token, key = ApiToken.issue(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_bulletins_are_listed_and_read_with_their_frozen_content(client, office, park_user, units):
    published = bulletin_publish(year=2020, month=11, user=office)
    page = client.get("/api/bulletins", **bearer(park_user)).json()
    assert page["count"] == 1 and page["next"] is None
    (row,) = page["results"]
    assert row["period"] == {"year": 2020, "month": 11, "label": "2020年1-11月"}
    detail = client.get(f"/api/bulletins/{published.pk}", **bearer(park_user)).json()
    assert detail["content"] == published.content and detail["title"] == published.title


def test_an_auditor_reads_no_bulletins_and_a_missing_one_is_404(client, office, auditor, units):
    bulletin_publish(year=2020, month=11, user=office)
    assert client.get("/api/bulletins", **bearer(auditor)).status_code == 403
    missing = client.get("/api/bulletins/999999", **bearer(office))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
