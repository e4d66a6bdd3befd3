import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from duban.accounts.models import Lockout, User
from duban.core.tables import BaseTable, YesNoColumn


class UserTable(BaseTable):
    username = tables.Column(linkify=("accounts:user_edit", {"pk": tables.A("pk")}))
    is_active = YesNoColumn()
    person = tables.Column(
        verbose_name=_("Person"), accessor="person", orderable=False, default="—"
    )

    class Meta(BaseTable.Meta):
        model = User
        fields = ("username", "name", "role", "person", "is_active", "last_login")


class LockoutTable(BaseTable):
    actions = tables.TemplateColumn(
        template_name="accounts/partials/unlock_button.html", verbose_name="", orderable=False
    )

    class Meta(BaseTable.Meta):
        model = Lockout
        fields = ("username", "locked_at", "until", "unlocked_at", "unlocked_by")
