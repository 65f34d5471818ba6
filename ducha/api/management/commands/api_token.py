from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ducha.api.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for a user; the key is printed once and only its hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="integration")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        _token, key = ApiToken.issue(user=user, name=name)
        self.stdout.write(key)
