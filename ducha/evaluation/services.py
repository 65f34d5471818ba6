"""Writes of the evaluation: compute a draft, publish it (freezing it), recompute a published one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import scoring, selectors
from .choices import Status
from .models import Evaluation, EvaluationResult, Scheme


def _flag_rule(scheme: Scheme) -> scoring.FlagRule:
    return scoring.FlagRule(scoring.FlagRuleKind(scheme.flag_rule), scheme.red_min, scheme.blue_min)


def evaluation_compute(*, scheme: Scheme, month: int, user) -> Evaluation:
    """Compute the period 1–`month` as a new draft, replacing earlier drafts of the same period.

    The draft records the published evaluation of the period (if any) it would replace, so
    that the differences can be listed before publishing.
    """
    if not 1 <= month <= 12:
        raise ValidationError(_("The period must end in a month from 1 to 12."))
    if not scheme.items.exists():
        raise ValidationError(_("The scheme has no items yet."))
    inputs = selectors.evaluation_inputs(scheme=scheme, month=month)
    rule = _flag_rule(scheme)
    results = scoring.evaluate(inputs.specs, inputs.units, rule)
    published = Evaluation.objects.filter(scheme=scheme, month=month, status=Status.PUBLISHED).first()
    with transaction.atomic():
        Evaluation.objects.filter(scheme=scheme, month=month, status=Status.DRAFT).delete()
        evaluation = Evaluation.objects.create(
            scheme=scheme,
            month=month,
            based_on=published,
            computed_by=user,
            snapshot={
                "items": [
                    {"key": s.key, "label": s.label, "weight": str(s.weight), "method": str(s.method)}
                    for s in inputs.specs
                ],
                "flag_rule": {
                    "kind": str(rule.kind),
                    "red_min": str(rule.red_min),
                    "blue_min": str(rule.blue_min),
                },
                "unavailable": inputs.unavailable,
            },
        )
        EvaluationResult.objects.bulk_create(
            [
                EvaluationResult(
                    evaluation=evaluation,
                    unit_id=r.unit_id,
                    peer_group=r.group,
                    total=r.total,
                    place=r.place,
                    group_size=r.group_size,
                    flag=str(r.flag),
                    items=[i.as_json() for i in r.items],
                )
                for r in results
            ]
        )
    return evaluation


def evaluation_publish(*, evaluation: Evaluation, user) -> Evaluation:
    """Publish a draft; the period's previously published evaluation becomes superseded. Results never change."""
    if evaluation.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    with transaction.atomic():
        Evaluation.objects.filter(
            scheme=evaluation.scheme, month=evaluation.month, status=Status.PUBLISHED
        ).update(status=Status.SUPERSEDED)
        evaluation.status = Status.PUBLISHED
        evaluation.published_at = timezone.now()
        evaluation.published_by = user
        evaluation.save(update_fields=["status", "published_at", "published_by"])
    return evaluation


def evaluation_recompute(*, evaluation: Evaluation, user) -> Evaluation:
    """A new draft of the same period from today's data; the published evaluation stays as it is."""
    return evaluation_compute(scheme=evaluation.scheme, month=evaluation.month, user=user)
