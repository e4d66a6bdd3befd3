from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    ASSESSOR = "assessor", _("Assessing body")
    DEPARTMENT = "department", _("Department")
    OTHER = "other", _("Other")
