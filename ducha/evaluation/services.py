"""Writes of the evaluation: schemes and manual scores; compute a draft, publish it (freezing it), recompute."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.access import acting_region, owns_region_object
from ducha.core.audit import audit_bulk_created
from ducha.units.models import Unit

from . import scoring, selectors
from .choices import Source, Status
from .models import (
    EVALUATED_GROUPS,
    Evaluation,
    EvaluationResult,
    ManualScore,
    Scheme,
    SchemeItem,
    SchemePeerGroup,
)


def _flag_rule(scheme: Scheme) -> scoring.FlagRule:
    return scoring.FlagRule(scoring.FlagRuleKind(scheme.flag_rule), scheme.red_min, scheme.blue_min)


def evaluation_compute(*, scheme: Scheme, month: int, user) -> Evaluation:
    """Compute the period 1–`month` as a new draft, replacing earlier drafts of the same period.

    The draft records the published evaluation of the period (if any) it would replace, so
    that the differences can be listed before publishing.
    """
    if not owns_region_object(user, scheme.region_id):
        raise ValidationError(_("Only the office of the scheme's region evaluates with it."))
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
                "units_without_data": [
                    str(u.label)
                    for u in Unit.objects.filter(
                        pk__in=scoring.units_without_data(inputs.specs, inputs.units)
                    ).order_by("order")
                ],
            },
        )
        stored = EvaluationResult.objects.bulk_create(
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
        audit_bulk_created(stored)
    return evaluation


def evaluation_publish(*, evaluation: Evaluation, user) -> Evaluation:
    """Publish a draft; the period's previously published evaluation becomes superseded. Results never change."""
    if not owns_region_object(user, evaluation.scheme.region_id):
        raise ValidationError(_("Only the office of the scheme's region publishes its evaluations."))
    if evaluation.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    with transaction.atomic():
        for previous in Evaluation.objects.filter(
            scheme=evaluation.scheme, month=evaluation.month, status=Status.PUBLISHED
        ):
            previous.status = Status.SUPERSEDED
            previous.save(update_fields=["status"])
        evaluation.status = Status.PUBLISHED
        evaluation.published_at = timezone.now()
        evaluation.published_by = user
        evaluation.save(update_fields=["status", "published_at", "published_by"])
    return evaluation


def evaluation_recompute(*, evaluation: Evaluation, user) -> Evaluation:
    """A new draft of the same period from today's data; the published evaluation stays as it is."""
    return evaluation_compute(scheme=evaluation.scheme, month=evaluation.month, user=user)


# ---------------------------------------------------------------- schemes (office)


def scheme_create(*, year: int, name: str, user) -> Scheme:
    """A new year's scheme, copied from the latest earlier scheme (items, flag rule, peer groups).

    With no earlier scheme it starts empty. One scheme per year: a second one is refused.
    """
    region = acting_region(user)
    if Scheme.objects.filter(region=region, year=year).exists():
        raise ValidationError({"year": _("There is already a scheme for %(year)s.") % {"year": year}})
    source = Scheme.objects.filter(region=region, year__lt=year).order_by("-year").first()
    scheme = Scheme(year=year, name=name.strip(), region=region)
    if source:
        scheme.flag_rule, scheme.red_min, scheme.blue_min = source.flag_rule, source.red_min, source.blue_min
    scheme.full_clean()
    with transaction.atomic():
        scheme.save()
        if source:
            items = SchemeItem.objects.bulk_create(
                [
                    SchemeItem(
                        scheme=scheme,
                        label=item.label,
                        source=item.source,
                        indicator_id=item.indicator_id,
                        weight=item.weight,
                        method=item.method,
                        target=item.target,
                        cap=item.cap,
                        order=item.order,
                    )
                    for item in source.items.all()
                ]
            )
            audit_bulk_created(items)
            SchemePeerGroup.objects.bulk_create(
                [
                    SchemePeerGroup(scheme=scheme, unit_id=g.unit_id, peer_group=g.peer_group)
                    for g in source.peer_groups.all()
                ]
            )
    return scheme


def item_duplicates(items: list[SchemeItem]) -> list[str]:
    """Messages for items that repeat another's name, or measure the same indicator the same way."""
    problems = []
    labels: dict[str, int] = {}
    measures: dict[tuple[str, int], int] = {}
    for number, item in enumerate(items, start=1):
        label = item.label.strip()
        if label in labels:
            problems.append(
                _("Item %(number)s “%(label)s” has the same name as item %(first)s.")
                % {"number": number, "label": label, "first": labels[label]}
            )
        labels.setdefault(label, number)
        if item.indicator_id is not None:
            key = (item.source, item.indicator_id)
            if key in measures:
                problems.append(
                    _(
                        "Item %(number)s “%(label)s” measures the same indicator the same way as item %(first)s."
                    )
                    % {"number": number, "label": label, "first": measures[key]}
                )
            measures.setdefault(key, number)
    return problems


def scheme_save(
    *,
    scheme: Scheme,
    items: list[SchemeItem],
    deleted: list[SchemeItem],
    peer_groups: dict[int, str],
    user,
) -> Scheme:
    """Store a scheme's name, flag rule, items and peer groups together, or nothing.

    `items` are the scheme's items after the edit (new ones unsaved), `deleted` the ones removed,
    `peer_groups` the group of each area unit (units in their own group need no row). Published
    evaluations are not touched: they keep the scheme as it was when they were computed.
    """
    scheme.full_clean()
    problems: list[str] = []
    kept = [i for i in items if i not in deleted]
    if not kept:
        problems.append(_("A scheme needs at least one item."))
    for number, item in enumerate(kept, start=1):
        item.scheme = scheme
        try:
            item.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems.extend(
                _("Item %(number)s “%(label)s”: %(problem)s")
                % {"number": number, "label": item.label, "problem": message}
                for message in exc.messages
            )
    problems.extend(item_duplicates(kept))
    units = {u.pk: u for u in Unit.objects.areas()}
    allowed = {value for value, _label in EVALUATED_GROUPS}
    for unit_id, group in peer_groups.items():
        if unit_id not in units or group not in allowed:
            problems.append(_("Unknown unit or peer group."))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        scheme.save()
        SchemeItem.objects.filter(pk__in=[i.pk for i in deleted if i.pk]).delete()
        # Renames may swap two labels: clear the saved items' labels first so no unique check trips midway.
        new_labels = {item.pk: item.label for item in kept if item.pk}
        for stored in SchemeItem.objects.filter(pk__in=new_labels):
            if stored.label != new_labels[stored.pk]:
                stored.label = f"#{stored.pk}"
                stored.save(update_fields=["label"])  # saved, not updated: the trail shows old → #pk → new
        for item in kept:
            item.save()
        SchemePeerGroup.objects.filter(scheme=scheme).delete()
        SchemePeerGroup.objects.bulk_create(
            [
                SchemePeerGroup(scheme=scheme, unit_id=unit_id, peer_group=group)
                for unit_id, group in peer_groups.items()
                if group != units[unit_id].peer_group
            ]
        )
    return scheme


def manual_scores_save(
    *, scheme: Scheme, month: int, scores: dict[tuple[int, int], Decimal | None], user
) -> tuple[int, int]:
    """Store the manual scores (0–100) of period 1–`month`, keyed (item id, unit id); None removes one.

    All or nothing; returns (stored, removed).
    """
    if not 1 <= month <= 12:
        raise ValidationError(_("The period must end in a month from 1 to 12."))
    items = {i.pk: i for i in scheme.items.filter(source=Source.MANUAL)}
    units = {u.pk: u for u in Unit.objects.areas()}
    problems = {}
    for (item_id, unit_id), score in scores.items():
        key = f"{item_id}_{unit_id}"
        if item_id not in items or unit_id not in units:
            problems[key] = _("Unknown item or unit.")
        elif score is not None and not 0 <= score <= 100:
            problems[key] = _("%(unit)s, %(item)s: a score is from 0 to 100.") % {
                "unit": units[unit_id].name,
                "item": items[item_id].label,
            }
    if problems:
        raise ValidationError(problems)
    stored = removed = 0
    with transaction.atomic():
        for (item_id, unit_id), score in scores.items():
            if score is None:
                removed += ManualScore.objects.filter(item_id=item_id, unit_id=unit_id, month=month).delete()[
                    0
                ]
                continue
            ManualScore.objects.update_or_create(
                item_id=item_id, unit_id=unit_id, month=month, defaults={"score": score}
            )
            stored += 1
    return stored, removed
