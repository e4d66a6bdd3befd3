from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from duban.accounts import services
from duban.accounts.filtersets import LockoutFilterSet, UserFilterSet
from duban.accounts.forms import LoginForm, PasswordChangeForm, UserForm
from duban.accounts.middleware import start_session_clock
from duban.accounts.models import Lockout, User
from duban.accounts.tables import LockoutTable, UserTable
from duban.core.views import ObjectCreateView, ObjectListView, ObjectUpdateView


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request):
    if request.user.is_authenticated:
        return redirect("cockpit:home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth_login(request, form.get_user())
        start_session_clock(request)
        return HttpResponseRedirect(next_url or reverse("cockpit:home"))
    return render(
        request, "accounts/login.html", {"form": form, "next": next_url, "title": _("Sign in")}
    )


class SignOutView(LogoutView):
    http_method_names = ["post", "options"]


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"title": _("My account")})


@sensitive_post_parameters()
@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:profile")
    return render(
        request, "accounts/password_change.html", {"form": form, "title": _("Change password")}
    )


class UserListView(ObjectListView):
    permission = "accounts.view_user"
    queryset = User.objects.all()
    table_class = UserTable
    filterset_class = UserFilterSet
    title = gettext_lazy("Accounts")
    add_url_name = "accounts:user_add"
    add_permission = "accounts.add_user"


class UserCreateView(ObjectCreateView):
    permission = "accounts.add_user"
    queryset = User.objects.all()
    form_class = UserForm
    success_url = reverse_lazy("accounts:user_list")


class UserUpdateView(ObjectUpdateView):
    permission = "accounts.change_user"
    queryset = User.objects.all()
    form_class = UserForm
    success_url = reverse_lazy("accounts:user_list")


class LockoutListView(ObjectListView):
    permission = "accounts.view_lockout"
    queryset = Lockout.objects.all()
    table_class = LockoutTable
    filterset_class = LockoutFilterSet
    title = gettext_lazy("Locked accounts")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["now"] = timezone.now()
        return context


@require_POST
@login_required
def unlock(request, pk: int):
    if not request.user.has_perm("accounts.unlock_user"):
        raise PermissionDenied
    lockout = get_object_or_404(Lockout.objects.visible_to(request.user).in_force(), pk=pk)
    services.unlock(lockout, request.user)
    messages.success(request, _("%(name)s can sign in again.") % {"name": lockout.username})
    return redirect("accounts:lockout_list")
