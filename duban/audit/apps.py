from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "duban.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from duban.audit import receivers  # noqa: F401  (connects the change-log receivers)
