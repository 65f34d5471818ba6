"""Conditional writes (issue 11): every object the API changes carries an ETag, and a write must name it.

GET of one object answers with an `ETag` header: from the object's version where it has one (projects), from a
hash of its stored content otherwise. A write to an existing object must send that value in `If-Match`:
without it the API answers 428 Precondition Required, with an outdated one 412 Precondition Failed (with the
current ETag in the response) and nothing is changed. `If-Match: *` means "whatever is stored now".
"""

import hashlib
import json

from django.http import HttpRequest

PRECONDITION_DOC = (
    "Send the `ETag` of your last GET of this object in `If-Match`: without it the answer is 428 "
    "Precondition Required, and when the object changed since (someone else saved it) 412 Precondition "
    "Failed with the current `ETag`; nothing is changed in either case."
)


class PreconditionRequired(Exception):
    """A write to an existing object came without If-Match (428)."""

    def __init__(self, etag: str | None):
        super().__init__("If-Match is required")
        self.etag = etag


class PreconditionFailed(Exception):
    """If-Match does not name the stored version (412); `etag` is the current one."""

    def __init__(self, etag: str | None):
        super().__init__("the object changed")
        self.etag = etag


def version_etag(kind: str, pk: int, version: int) -> str:
    """A strong ETag from a version counter: "project-12-v3"."""
    return f'"{kind}-{pk}-v{version}"'


def content_etag(kind: str, *parts) -> str:
    """A strong ETag from the stored content (for objects without a version counter)."""
    digest = hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:32]
    return f'"{kind}-{digest}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def if_match(request: HttpRequest, current: str | None) -> None:
    """Check the request's If-Match against the current ETag (None: the object does not exist yet).

    A write that creates the object may omit If-Match; one that changes it may not (428). A tag that is not
    the current one (or `*` when nothing exists) is refused with 412. Weak tags (W/…) never match.
    """
    header = request.headers.get("If-Match")
    if header is None:
        if current is None:
            return
        raise PreconditionRequired(current)
    tags = _tags(header)
    if "*" in tags:
        if current is None:
            raise PreconditionFailed(None)
        return
    if current is None or current not in tags:
        raise PreconditionFailed(current)
