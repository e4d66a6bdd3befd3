from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from duban.accounts.models import User
from duban.audit import recorder
from duban.audit.choices import ChangeAction
from duban.audit.context import change_context


class Command(BaseCommand):
    help = "Print the API token of USERNAME, creating it if needed (--rotate replaces it)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--rotate", action="store_true", help="Replace the existing token.")

    def handle(self, *args, username, rotate, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active account named %(name)s.") % {"name": username})
        with change_context("command:token"):
            if rotate:
                Token.objects.filter(user=user).delete()
            token, created = Token.objects.get_or_create(user=user)
            if created:
                # The key itself never reaches the log; that a token was issued does.
                recorder.record(
                    ChangeAction.UPDATE,
                    user,
                    before=None,
                    after={"api_token": "rotated" if rotate else "created"},
                )
        self.stdout.write(token.key)
