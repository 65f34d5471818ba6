"""Lists page as {count, next, previous, results}; periods are structured; filters are the web ledger's."""

from ducha.api.models import ApiToken
from ducha.projects.choices import Light
from ducha.projects.forms import LedgerFilterForm
from ducha.projects.tests.factories import make_project


def bearer(user):
    _token, key = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_projects_page_with_count_next_and_previous(client, office, units):
    for i in range(5):
        make_project(units["park"], f"分页项目{i}", total_investment=1000 - i)
    headers = bearer(office)
    first = client.get("/api/projects", {"limit": 2, "level": "district"}, **headers).json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    assert "offset=2" in first["next"] and "level=district" in first["next"]
    second = client.get(first["next"], **headers).json()
    assert "offset=0" in second["previous"]
    last = client.get("/api/projects", {"limit": 2, "offset": 4}, **headers).json()
    assert last["next"] is None and len(last["results"]) == 1
    names = [p["name"] for page in (first, second, last) for p in page["results"]]
    assert sorted(names) == [f"分页项目{i}" for i in range(5)]


def test_the_period_is_structured(client, office, units):
    make_project(units["park"])
    data = client.get("/api/projects", {"year": 2020, "month": 11}, **bearer(office)).json()
    assert data["period"] == {"year": 2020, "month": 11, "label": "2020年1-11月"}


def test_an_unknown_light_is_422_naming_the_field_and_the_values_allowed(client, office):
    response = client.get("/api/projects", {"light": "purple"}, **bearer(office))
    assert response.status_code == 422
    (message,) = response.json()["error"]["fields"]["light"]
    assert all(f"'{value}'" in message for value in Light.values)


def test_the_api_filters_are_the_ledger_forms_fields(client, office):
    client.force_login(office)
    document = client.get("/api/openapi.json").json()
    parameters = {p["name"]: p for p in document["paths"]["/api/projects"]["get"]["parameters"]}
    assert set(LedgerFilterForm.base_fields) <= set(parameters)
    light = parameters["light"]["schema"]["anyOf"][0]
    assert light["enum"] == list(Light.values)


def test_a_unit_outside_the_scope_is_refused_as_the_web_form_refuses_it(client, park_user, units):
    response = client.get("/api/projects", {"unit": units["other_park"].pk}, **bearer(park_user))
    assert response.status_code == 422 and "unit" in response.json()["error"]["fields"]
    own = client.get("/api/projects", {"unit": units["park"].pk}, **bearer(park_user))
    assert own.status_code == 200


def test_the_ledger_filters_mean_the_same_on_the_web_and_in_the_api(client, office, units):
    make_project(units["park"], "新建项目", construction_type="new")
    make_project(units["park"], "续建项目", construction_type="continuing")
    api = client.get("/api/projects", {"construction_type": "new"}, **bearer(office)).json()
    client.force_login(office)
    web = client.get("/projects/", {"construction_type": "new"})
    assert [p["name"] for p in api["results"]] == ["新建项目"]
    assert "新建项目" in web.content.decode() and "续建项目" not in web.content.decode()
