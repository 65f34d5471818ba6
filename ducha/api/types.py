"""Bounded integer types for the API's parameters and bodies (issue 11): out of range is 422, never a 500.

Python's int has no limit but the databases' columns do (SQLite and PostgreSQL bigint: 2^63−1); an unbounded
`int` reached the query and failed there (OverflowError on SQLite, DataError on PostgreSQL). Every integer the
API takes uses one of these types.
"""

from typing import Annotated

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
