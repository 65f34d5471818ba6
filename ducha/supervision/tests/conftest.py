import datetime

import pytest

from ducha.projects.models import Project
from ducha.supervision.models import ProblemCategory
from ducha.supervision.services import problem_raise

RAISED = datetime.date(2020, 4, 18)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def park_project(units):
    return Project.objects.create(
        name="飞荣达高性能导电导热材料项目", unit=units["park"], total_investment=200000
    )


@pytest.fixture
def other_park_project(units):
    return Project.objects.create(
        name="胜伟策电子嵌入式封装电路板项目", unit=units["other_park"], total_investment=150000
    )


@pytest.fixture
def land():
    return ProblemCategory.objects.get(name="土地")


@pytest.fixture
def make_problem(office, units, park_project, land):
    """make_problem(**overrides) raises a problem through the service, as the office would."""

    def make(**kw):
        args = {
            "user": office,
            "project": park_project,
            "category": land,
            "description": "二期用地指标尚未落实",
            "lead_department": units["department"],
            "deadline": RAISED + datetime.timedelta(days=30),
            "raised_on": RAISED,
        }
        args.update(kw)
        return problem_raise(**args)

    return make


@pytest.fixture(autouse=True)
def private_files_in_tmp(settings, tmp_path):
    settings.DUCHA_PRIVATE_ROOT = tmp_path / "private"
