"""ducha remind — meant for a daily cron job, e.g. `30 8 * * * ducha remind`."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from ducha.supervision.reminders import remind
from ducha.supervision.rules import WebhookKind


class Command(BaseCommand):
    help = "Send notices of problems due soon or overdue and of missing monthly reports (in-app, e-mail, group robots)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=3, help="Remind of problems due within this many days (3)."
        )
        parser.add_argument(
            "--date", help="Act as if today were YYYY-MM-DD (default: today in Asia/Shanghai)."
        )
        parser.add_argument("--base-url", default="", help="Prefix for links in e-mails and robot messages.")
        parser.add_argument(
            "--webhook-kind",
            choices=[k.value for k in WebhookKind],
            default=WebhookKind.WECOM.value,
            help="Message format for robot URLs on other hosts (append #wecom or #dingtalk to a URL to choose per unit).",
        )
        parser.add_argument("--no-reports", action="store_true", help="Skip the missing-report reminders.")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: {options['date']!r} is not a date like 2020-06-25") from exc
        if options["days"] < 0:
            raise CommandError("--days must not be negative")
        result = remind(
            today=today,
            days=options["days"],
            base_url=options["base_url"],
            default_webhook_kind=WebhookKind(options["webhook_kind"]),
            include_reports=not options["no_reports"],
        )
        self.stdout.write(
            f"{result.digests} digests: {result.sent} sent, {result.skipped} already sent today, {result.failed} failed"
        )
        if result.failed:
            self.stderr.write("Failed deliveries are kept and retried at the next run (see the log above).")
