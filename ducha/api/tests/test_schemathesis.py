"""Issue 11 §7: schemathesis against /api/openapi.json finds no 5xx (bounded: a few examples per operation).

Every operation of the OpenAPI document gets valid and invalid requests generated from the document itself,
sent through Django's WSGI application as an office user's token (with `If-Match: *`, so that the writes
reach the services), on a small data set. Any 5xx fails the test with the request that caused it.
"""

import datetime
import time
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup

from ducha.api.models import ApiToken
from ducha.indicators.models import Indicator, IndicatorValue, Measure
from ducha.projects.tests.factories import make_plan, make_project, make_report
from ducha.supervision.models import ProblemCategory
from ducha.supervision.services import problem_raise

EXAMPLES_PER_MODE = 40  # per operation, once with valid and once with invalid input


@pytest.fixture
def dataset(office, units):
    """A few rows of each kind the API reads and writes, with small ids the generator will hit."""
    battery = make_project(units["park"], "蜂巢能源动力电池项目", total_investment=800000)
    make_project(units["town"], "信维通信项目")
    make_plan(battery, amount=1200)
    make_report(battery, 3, 300)
    problem_raise(
        user=office,
        project=battery,
        category=ProblemCategory.objects.first() or ProblemCategory.objects.create(name="土地"),
        description="二期用地指标尚未落实",
        lead_department=units["department"],
        deadline=datetime.date(2020, 5, 18),
        raised_on=datetime.date(2020, 4, 18),
    )
    sales = Indicator.objects.create(code="sales", name="工业开票销售收入", measure=Measure.YUAN, order=1)
    IndicatorValue.objects.create(indicator=sales, unit=units["park"], year=2020, month=3, value=Decimal(300))


@pytest.fixture
def openapi_document(client, office) -> dict:
    """/api/openapi.json as a signed-in office user reads it."""
    client.force_login(office)
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def wsgi_app(settings, openapi_document):
    """Django's WSGI application inside the test's transaction: the request signals must not close the
    test's database connection (Django's test client does the same, around each of its own requests: so
    this comes after the last request of the test client)."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_no_operation_answers_with_a_server_error(
    office, dataset, openapi_document, wsgi_app, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    schema = schemathesis.openapi.from_dict(openapi_document)
    schema.app = wsgi_app
    _token, key = ApiToken.issue(user=office, name="schemathesis")
    headers = {"Authorization": f"Bearer {key}", "If-Match": "*"}
    requests = []
    statuses: dict[int, int] = {}
    failures = []
    started = time.monotonic()

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES_PER_MODE,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def call(case):
                response = case.call(headers=headers)
                requests.append(case.operation.label)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                case.validate_response(response, checks=[not_a_server_error])

            try:
                call()
            except Unsatisfiable:  # no invalid input exists for an operation without parameters
                continue
            except (
                Exception,
                FailureGroup,
            ) as exc:  # collect every operation's failures, report them together
                failures.append(f"{operation.label} ({mode.value}): {exc}")

    elapsed = time.monotonic() - started
    print(
        f"schemathesis: {len(requests)} requests to {len(set(requests))} operations in {elapsed:.0f} s; statuses {sorted(statuses.items())}"
    )
    assert not failures, "\n\n".join(failures)
    assert len(set(requests)) >= 15
