"""Evaluation endpoints, mounted at /api/evaluation: evaluations, their results item by item, a unit's flags."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Path, Router, Schema

from ducha.api.auth import business_user
from ducha.api.types import ObjectId, Year

from . import selectors
from .explain import explain_item

router = Router(tags=["evaluation"])


class EvaluationOut(Schema):
    id: int
    year: int
    month: int
    scheme: str
    status: str
    units: int
    computed_at: datetime
    published_at: datetime | None


class ItemOut(Schema):
    key: str
    label: str
    weight: Decimal
    method: str
    raw: Decimal | None
    points: Decimal | None
    place: int | None
    group_size: int
    target: Decimal | None
    cap: Decimal | None
    explanation: str


class ResultOut(Schema):
    unit_id: int
    unit: str
    peer_group: str
    total: Decimal
    place: int
    group_size: int
    flag: str
    items: list[ItemOut]


class EvaluationDetailOut(EvaluationOut):
    flag_rule: dict
    unavailable: list[str]
    results: list[ResultOut]


class FlagOut(Schema):
    evaluation_id: int
    year: int
    month: int
    flag: str
    total: Decimal
    place: int
    group_size: int


def _evaluation(e, units: int) -> dict:
    return {
        "id": e.pk,
        "year": e.scheme.year,
        "month": e.month,
        "scheme": e.scheme.name,
        "status": e.status,
        "units": units,
        "computed_at": e.computed_at,
        "published_at": e.published_at,
    }


@router.get("/", response=list[EvaluationOut])
def list_evaluations(request, year: Year | None = None):
    """Published and superseded evaluations; drafts too for the office."""
    user = business_user(request)
    return [_evaluation(e, e.units) for e in selectors.evaluations_for_user(user, year=year)]


@router.get("/{evaluation_id}", response=EvaluationDetailOut)
def get_evaluation(request, evaluation_id: Path[ObjectId]):
    """Every unit's total, place and flag, with each item's raw value, points and formula."""
    user = business_user(request)
    evaluation = selectors.evaluation_get_for_user(user, evaluation_id)
    views = selectors.evaluation_results(evaluation)
    return {
        **_evaluation(evaluation, len(views)),
        "flag_rule": evaluation.snapshot.get("flag_rule", {}),
        "unavailable": evaluation.snapshot.get("unavailable", []),
        "results": [
            {
                "unit_id": v.result.unit_id,
                "unit": v.result.unit.name,
                "peer_group": v.result.peer_group,
                "total": v.result.total,
                "place": v.result.place,
                "group_size": v.result.group_size,
                "flag": v.result.flag,
                "items": [{**i.as_json(), "explanation": explain_item(i)} for i in v.items],
            }
            for v in views
        ],
    }


@router.get("/units/{unit_id}/flags", response=list[FlagOut])
def unit_flags(request, unit_id: Path[ObjectId]):
    """A unit's flags in the published evaluations, latest first."""
    user = business_user(request)
    unit = selectors.unit_get_for_history(user, unit_id)
    return [
        {
            "evaluation_id": r.evaluation_id,
            "year": r.evaluation.scheme.year,
            "month": r.evaluation.month,
            "flag": r.flag,
            "total": r.total,
            "place": r.place,
            "group_size": r.group_size,
        }
        for r in selectors.unit_flag_history(unit)
    ]
