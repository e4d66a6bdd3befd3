from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.roles import ADMIN_ROLES, BUSINESS_ROLES, Role, permissions_for
from duban.core.models import Audited, Versioned


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        return (
            self if user.is_authenticated and user.has_perm("accounts.view_user") else self.none()
        )

    def editable_by(self, user):
        return self.visible_to(user)

    def for_list(self):
        return self.select_related("person")

    def for_detail(self):
        return self.for_list()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields) -> User:
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields) -> User:
        # There is no superuser in Duban (三员分立); `createsuperuser` makes the system administrator.
        fields.setdefault("role", Role.SYSADMIN)
        return self.create_user(username, password, **fields)


class User(Audited, Versioned, AbstractBaseUser):
    """A login account. The person behind it (unit, section) is `org.Person.user`."""

    username = models.CharField(
        _("user name"), max_length=150, unique=True, validators=[UnicodeUsernameValidator()]
    )
    name = models.CharField(_("full name"), max_length=50)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["username"]
        permissions = [("unlock_user", _("Can unlock locked accounts"))]

    def __str__(self) -> str:
        return f"{self.name}（{self.username}）" if self.name else self.username

    @property
    def is_staff(self) -> bool:  # Django admin is not used; nobody is "staff" in its sense.
        return False

    @property
    def is_superuser(self) -> bool:
        return False

    @property
    def is_business(self) -> bool:
        return self.role in BUSINESS_ROLES

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:user_edit", args=[self.pk])

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

    def get_all_permissions(self, obj=None) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return permissions_for(self.role)

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm in self.get_all_permissions()

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions())


class LoginFailure(models.Model):
    """One failed login, kept in the database so every app server counts the same failures."""

    username = models.CharField(_("user name"), max_length=150)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("login failure")
        verbose_name_plural = _("login failures")
        # "failures of this name in the last 15 minutes", asked on every login attempt.
        indexes = [models.Index(fields=["username", "at"], name="accounts_failure_name_at")]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


class LockoutQuerySet(models.QuerySet):
    def visible_to(self, user):
        return (
            self
            if user.is_authenticated and user.has_perm("accounts.view_lockout")
            else self.none()
        )

    def for_list(self):
        return self.select_related("unlocked_by")

    def in_force(self, now=None):
        now = now or timezone.now()
        return self.filter(until__gt=now, unlocked_at__isnull=True)


class Lockout(Audited, models.Model):
    username = models.CharField(_("user name"), max_length=150)
    locked_at = models.DateTimeField(_("locked at"), default=timezone.now)
    until = models.DateTimeField(_("locked until"))
    unlocked_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        User,
        verbose_name=_("unlocked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = LockoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("account lockout")
        verbose_name_plural = _("account lockouts")
        ordering = ["-locked_at"]
        indexes = [models.Index(fields=["username", "until"], name="accounts_lockout_name_until")]

    def __str__(self) -> str:
        return self.username
