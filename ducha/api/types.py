"""Bounded integer types for the API's parameters and bodies (issue 11): out of range is 422, never a 500.

Python's int has no limit but the databases' columns do (SQLite and PostgreSQL bigint: 2^63−1); an unbounded
`int` reached the query and failed there (OverflowError on SQLite, DataError on PostgreSQL). Every integer the
API takes uses one of these types.
"""

from typing import Annotated

from ninja import Schema
from pydantic import Field

BIGINT_MAX = 2**63 - 1
# Far beyond any list's length, and small enough that offset + limit stays a valid SQL integer.
OFFSET_MAX = 2**31 - 1

ObjectId = Annotated[int, Field(ge=1, le=BIGINT_MAX, description="An object's id (1 … 2^63−1).")]
# Lenient inside the bounds, as before: a negative offset counts as 0, a limit is clamped to 1 … 1000.
Offset = Annotated[
    int,
    Field(ge=-OFFSET_MAX, le=OFFSET_MAX, description="Rows to skip (up to 2^31−1; negative counts as 0)."),
]
Limit = Annotated[
    int, Field(ge=-OFFSET_MAX, le=OFFSET_MAX, description="Rows per page, clamped to 1 … 1000.")
]


def page_bounds(limit: int, offset: int, *, max_limit: int = 1000) -> slice:
    """The slice of one page: limit clamped to 1 … max_limit, a negative offset counted as 0."""
    limit = max(1, min(limit, max_limit))
    offset = max(0, offset)
    return slice(offset, offset + limit)


Year = Annotated[int, Field(ge=2000, le=2100, description="A year (2000 … 2100).")]
Month = Annotated[int, Field(ge=1, le=12, description="A month (1 … 12).")]


class PeriodOut(Schema):
    """A reporting period, structured: the months 1 … `month` of `year`, and its label as the statistics write it."""

    year: int
    month: int
    label: str = Field(description='"2020年1-11月"')

    @staticmethod
    def of(period) -> "PeriodOut":
        return PeriodOut(year=period.year, month=period.month, label=period.label)


class PageOut(Schema):
    count: int = Field(description="Rows on all pages.")
    next: str | None = Field(description="The next page's URL (null on the last page).")
    previous: str | None = Field(description="The previous page's URL (null on the first page).")


def paginate(
    request, rows, limit: int, offset: int, *, max_limit: int = 1000, count: int | None = None
) -> dict:
    """One page of `rows` (a queryset or list) as {count, next, previous, results}; next and previous are the
    request's URL with `offset` (and `limit`) changed, every other parameter kept."""
    bounds = page_bounds(limit, offset, max_limit=max_limit)
    size = bounds.stop - bounds.start
    if count is None:
        count = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)

    def url(start: int) -> str:
        query = request.GET.copy()
        query["offset"] = str(start)
        query["limit"] = str(size)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "count": count,
        "next": url(bounds.stop) if bounds.stop < count else None,
        "previous": url(max(0, bounds.start - size)) if bounds.start > 0 else None,
        "results": list(rows[bounds]),
    }
