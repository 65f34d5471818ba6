"""常州市 with two districts, shared by the regions tests."""

import pytest

from ducha.accounts.models import Role, User
from ducha.projects.tests.factories import make_plan, make_project, make_report
from ducha.regions.models import Region
from ducha.regions.services import regions_load
from ducha.units.models import Unit, UnitKind


@pytest.fixture
def city():
    """常州市 with two districts, a town in each with a project planned and reported for 2020."""
    regions_load("320400")
    regions = {code: Region.objects.get(code=code) for code in ("320400", "320413", "320412")}
    jintan, wujin = regions["320413"], regions["320412"]
    towns = {
        "jintan": Unit.objects.create(name="金城镇", kind=UnitKind.TOWN, region=jintan),
        "jintan2": Unit.objects.create(name="儒林镇", kind=UnitKind.TOWN, region=jintan),
        "wujin": Unit.objects.create(name="湖塘镇", kind=UnitKind.TOWN, region=wujin),
    }
    for key, (plan, done) in {"jintan": (1200, 1000), "jintan2": (600, 100), "wujin": (2400, 2300)}.items():
        project = make_project(towns[key], f"{towns[key].name}项目")
        make_plan(project, amount=plan)
        make_report(project, 11, done)
    users = {
        "city_office": User.objects.create_user("city_office", role=Role.OFFICE, region=regions["320400"]),
        "jintan_office": User.objects.create_user("jt_office", role=Role.OFFICE, region=jintan),
        "wujin_office": User.objects.create_user("wj_office", role=Role.OFFICE, region=wujin),
        "wujin_leader": User.objects.create_user("wj_leader", role=Role.LEADER, region=wujin),
    }
    return regions, towns, users
