"""The README's API examples work: each curl command of its API section is sent through the test client.

The examples name project 12 and unit 31, which the test creates with those ids, and problem 7, whose id the
database chooses (the test puts the real id in its place). Each command is followed in the README by
`# → <status>`, the status it must answer with.
"""

import io
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from ducha.projects.tests.factories import make_plan, make_project, make_report
from ducha.supervision.models import ProblemCategory
from ducha.supervision.services import problem_raise, problem_transition
from ducha.units.models import PeerGroup, Unit, UnitKind

README = Path(__file__).resolve().parents[3] / "README.md"


def api_examples() -> tuple[str, list[tuple[str, int]]]:
    """The token command and the (curl command, expected status) pairs of the README's API section."""
    section = README.read_text(encoding="utf-8").split("\n## The API\n", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    lines = block.replace("\\\n", " ").splitlines()
    token_command = next(line for line in lines if line.startswith("export DUCHA_TOKEN="))
    examples = []
    for i, line in enumerate(lines):
        if line.startswith("curl "):
            expected = next(x for x in lines[i + 1 :] if x.startswith("# → "))
            examples.append((line, int(expected.removeprefix("# → "))))
    return token_command, examples


def test_the_readme_has_examples_of_reads_writes_and_errors():
    _token, examples = api_examples()
    assert len(examples) >= 8
    assert {status for _cmd, status in examples} >= {200, 201, 422}
    assert any("-X PATCH" in cmd for cmd, _status in examples)


def send(client, command: str):
    words = shlex.split(command)[1:]
    method, headers, body, url = "GET", {}, "", ""
    while words:
        word = words.pop(0)
        if word == "-X":
            method = words.pop(0)
        elif word == "-H":
            name, value = words.pop(0).split(":", 1)
            headers["HTTP_" + name.strip().upper().replace("-", "_")] = value.strip()
        elif word == "-d":
            body = words.pop(0)
        elif word == "-i":
            continue
        else:
            url = word
    parts = urlsplit(url)
    assert parts.netloc == "ducha.example.gov.cn"
    path = str(parts.path) + (f"?{parts.query}" if parts.query else "")
    content_type = headers.pop("HTTP_CONTENT_TYPE", "application/json")
    if method == "GET":
        return client.get(path, **headers)
    return client.generic(method, path, body, content_type=content_type, **headers)


@pytest.fixture
def readme_data(office, units):
    Unit.objects.create(pk=31, name="金坛经济开发区", kind=UnitKind.PARK, peer_group=PeerGroup.PARKS, order=7)
    project = make_project(units["park"], "蜂巢能源动力电池项目", pk=12, total_investment=800000)
    make_plan(project, amount=6000)
    for month in range(1, 6):
        make_report(project, month, 420 * month)
    category = ProblemCategory.objects.first() or ProblemCategory.objects.create(name="土地")
    problem = problem_raise(
        user=office,
        project=project,
        category=category,
        description="二期用地指标尚未落实",
        lead_department=units["department"],
    )
    return problem


def test_every_readme_example_answers_as_documented(client, office, department_user, readme_data, settings):
    settings.ALLOWED_HOSTS = ["ducha.example.gov.cn", "testserver"]
    problem = readme_data
    for action in ("accept", "resolve"):
        problem = problem_transition(problem=problem, user=department_user, action=action, comment="已落实")
    token_command, examples = api_examples()
    username = shlex.split(token_command.split("$(", 1)[1].rstrip(")"))[2]
    args = shlex.split(token_command.split("$(", 1)[1].rstrip(")"))[1:]
    out = io.StringIO()
    call_command(*args, stdout=out)
    assert username == office.username
    key = out.getvalue().strip()
    for command, expected in examples:
        command = command.replace("$DUCHA_TOKEN", key)
        command = command.replace("problems/7", f"problems/{problem.pk}").replace(
            "problem-7-", f"problem-{problem.pk}-"
        )
        response = send(client, command)
        assert response.status_code == expected, (command, response.content.decode())
        if expected >= 400:
            assert response.json()["error"]["status"] == expected
