"""One notice about one event (a report returned …) to a unit through every channel it has.

`ducha remind` sends daily digests; other apps call `unit_notify` when something happens that a unit must
act on. It reuses the reminders' delivery: in-app Notice, e-mail to the unit and its staff, the unit's
WeCom/DingTalk group robot (allow-listed, signed), each delivery a ReminderLog row keyed by the event
(`object_key`), so an event is sent once per channel and day and a failing channel never stops the others.
"""

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail

from ducha.lib import clock
from ducha.units.models import Unit

from .choices import Channel
from .models import Notice
from .reminders import Digest, RunResult, _deliver, _emails_of
from .rules import WebhookKind, webhook_kind, webhook_payload
from .webhooks import log_target, webhook_post


@dataclass
class EventDigest(Digest):
    key: str = ""

    @property
    def object_key(self) -> str:
        return self.key[:60]


def unit_notify(
    *,
    unit: Unit,
    kind: str,
    key: str,
    title: str,
    lines: list[str],
    link: str = "",
    base_url: str = "",
    day: datetime.date | None = None,
    default_webhook_kind: WebhookKind = WebhookKind.WECOM,
) -> RunResult:
    """Tell `unit` about one event (`key`, e.g. "report:12:v3") in-app, by e-mail and through its robot."""
    digest = EventDigest(kind=kind, unit=unit, title=title, lines=lines, link=link, key=key)
    day = day or clock.today()
    result = RunResult(digests=1)
    absolute = base_url.rstrip("/") + link if link and base_url else link
    full_lines = [*lines, absolute] if absolute else lines

    def in_app():
        Notice.objects.create(recipient_unit=unit, kind=kind, text="\n".join([title, *lines]), link=link)

    _deliver(
        digest=digest, channel=Channel.IN_APP, target=digest.object_key, day=day, send=in_app, result=result
    )
    for address in _emails_of(unit):

        def email(address=address):
            send_mail(title, "\n".join(full_lines), None, [address], fail_silently=False)

        _deliver(digest=digest, channel=Channel.EMAIL, target=address, day=day, send=email, result=result)
    if unit.webhook_url:
        url = unit.webhook_url
        robot_kind = webhook_kind(url, default=default_webhook_kind)
        payload = webhook_payload(robot_kind, title=title, lines=full_lines)
        channel = Channel.WECOM if robot_kind == WebhookKind.WECOM else Channel.DINGTALK

        def robot():
            webhook_post(url, payload, secret=unit.webhook_secret)

        _deliver(digest=digest, channel=channel, target=log_target(url), day=day, send=robot, result=result)
    return result
