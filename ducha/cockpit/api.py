"""Bulletin endpoints, mounted at /api/bulletins: the published bulletins (通报) the token's user may read."""

import datetime

from ninja import Field, Path, Router, Schema

from ducha.api.auth import business_user
from ducha.api.types import Limit, ObjectId, Offset, PageOut, PeriodOut, paginate
from ducha.lib.periods import Period

from . import selectors

router = Router(tags=["bulletins"])


class BulletinOut(Schema):
    id: int
    title: str
    period: PeriodOut
    issue: int = Field(description="期号: the issue number in issue_year.")
    issue_year: int
    issued_on: datetime.date
    issuer: str
    generated_at: datetime.datetime


class BulletinDetailOut(BulletinOut):
    masthead: str
    recipients: str
    copies: str
    content: dict = Field(description="Every figure of the bulletin, frozen when it was published.")


class BulletinPage(PageOut):
    results: list[BulletinOut]


def _bulletin(b) -> dict:
    return {
        "id": b.pk,
        "title": b.title,
        "period": PeriodOut.of(Period(b.year, b.month)),
        "issue": b.issue,
        "issue_year": b.issue_year,
        "issued_on": b.issued_on,
        "issuer": b.issuer,
        "generated_at": b.generated_at,
    }


@router.get("", response=BulletinPage)
def list_bulletins(request, limit: Limit = 100, offset: Offset = 0):
    """Published bulletins, latest issue first, as the web list shows them."""
    page = paginate(request, selectors.bulletins_for_user(business_user(request)), limit, offset)
    page["results"] = [_bulletin(b) for b in page["results"]]
    return page


@router.get("/{bulletin_id}", response=BulletinDetailOut)
def get_bulletin(request, bulletin_id: Path[ObjectId]):
    """One bulletin with its frozen figures (its .docx is on the web page, for people)."""
    bulletin = selectors.bulletin_get_for_user(business_user(request), bulletin_id)
    return {
        **_bulletin(bulletin),
        "masthead": bulletin.masthead,
        "recipients": bulletin.recipients,
        "copies": bulletin.copies,
        "content": bulletin.content,
    }
