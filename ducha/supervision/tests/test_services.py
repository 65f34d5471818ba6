import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ducha.supervision.models import Attachment, Notice, Problem, ProblemStep
from ducha.supervision.services import problem_transition

from .conftest import RAISED

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


def test_raising_a_problem_records_the_first_step_and_notifies_the_departments(make_problem, units, office):
    problem = make_problem(co_departments=[units["other_department"]])
    assert problem.status == "pending"
    step = problem.steps.get()
    assert (step.action, step.user, step.to_status) == ("raise", office, "pending")
    assert set(Notice.objects.values_list("recipient_unit__short_name", flat=True)) == {
        "住建局",
        "自然资源局",
    }


def test_a_deadline_before_the_raise_date_is_refused_and_nothing_is_stored(make_problem):
    with pytest.raises(ValidationError) as exc:
        make_problem(deadline=RAISED - datetime.timedelta(days=1))
    assert "deadline" in exc.value.message_dict
    assert not Problem.objects.exists() and not ProblemStep.objects.exists() and not Notice.objects.exists()


def test_a_lead_department_that_is_not_a_department_is_refused(make_problem, units):
    with pytest.raises(ValidationError) as exc:
        make_problem(lead_department=units["town"])
    assert "金城镇" in exc.value.message_dict["lead_department"][0]
    assert not Problem.objects.exists()


def test_an_attachment_over_the_limit_is_refused_and_nothing_is_stored(make_problem, settings):
    settings.DUCHA_MAX_UPLOAD_BYTES = 50
    photo = SimpleUploadedFile("现场.jpg", JPEG, content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        make_problem(files=[photo])
    assert "现场.jpg" in exc.value.messages[0]
    assert not Problem.objects.exists() and not Attachment.objects.exists()


def test_an_executable_disguised_as_a_pdf_is_refused(make_problem):
    with pytest.raises(ValidationError, match="批复.pdf"):
        make_problem(files=[SimpleUploadedFile("批复.pdf", b"MZ\x90\x00evil")])
    assert not Problem.objects.exists()


def test_a_photo_attaches_to_the_problem(make_problem):
    problem = make_problem(files=[SimpleUploadedFile("现场.jpg", JPEG)])
    att = problem.attachments.get()
    assert att.original_name == "现场.jpg" and att.size == len(JPEG) and att.step.action == "raise"


def test_the_whole_loop_is_recorded_step_by_step_and_in_the_audit_trail(
    make_problem, department_user, office
):
    problem = make_problem()
    problem = problem_transition(
        problem=problem, user=department_user, action="answer", comment="已对接自然资源局"
    )
    problem = problem_transition(
        problem=problem, user=department_user, action="resolve", comment="用地指标已落实"
    )
    assert problem.status == "resolved" and problem.resolved_on is not None
    problem = problem_transition(problem=problem, user=office, action="reopen", comment="未见批复文件")
    assert problem.status == "in_progress" and problem.resolved_on is None
    problem = problem_transition(problem=problem, user=department_user, action="resolve", comment="附批复")
    problem = problem_transition(problem=problem, user=office, action="verify")
    assert problem.status == "verified" and problem.verified_by == office
    steps = list(problem.steps.values_list("action", "user__username", "from_status", "to_status"))
    assert steps == [
        ("raise", "office", "", "pending"),
        ("answer", "zhujianju", "pending", "in_progress"),
        ("resolve", "zhujianju", "in_progress", "resolved"),
        ("reopen", "office", "resolved", "in_progress"),
        ("resolve", "zhujianju", "in_progress", "resolved"),
        ("verify", "office", "resolved", "verified"),
    ]
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Problem), object_pk=str(problem.pk)
    )
    assert entries.filter(actor=department_user).count() == 3
    assert entries.filter(actor=office).count() >= 3  # create, reopen, verify
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(ProblemStep)).count() == 6


def test_a_department_cannot_verify_its_own_answer(make_problem, department_user):
    problem = make_problem()
    problem = problem_transition(problem=problem, user=department_user, action="resolve", comment="已解决")
    with pytest.raises(ValidationError):
        problem_transition(problem=problem, user=department_user, action="verify")
    problem.refresh_from_db()
    assert problem.status == "resolved"


def test_an_answer_needs_a_comment(make_problem, department_user):
    problem = make_problem()
    with pytest.raises(ValidationError):
        problem_transition(problem=problem, user=department_user, action="answer", comment="  ")
    assert problem.steps.count() == 1


def test_another_department_cannot_move_the_problem(make_problem, other_department_user):
    problem = make_problem()
    with pytest.raises(ValidationError):
        problem_transition(problem=problem, user=other_department_user, action="resolve", comment="x")
