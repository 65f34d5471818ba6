from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ducha.api.models import MAX_TOKEN_DAYS
from ducha.api.services import api_token_issue


class Command(BaseCommand):
    help = "Issue an API token for a user; the key is printed once and only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="integration")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"how long the token lasts, 1 to {MAX_TOKEN_DAYS} (default: DUCHA_API_TOKEN_DAYS or 90)",
        )
        parser.add_argument(
            "--read-only", action="store_true", help="the token may only read (GET, HEAD, OPTIONS)"
        )

    def handle(self, *args, username, name, days, read_only, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        try:
            _token, key = api_token_issue(user=user, name=name, days=days, read_only=read_only)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(key)
