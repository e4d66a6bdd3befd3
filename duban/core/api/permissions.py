from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Like DRF's, but reading needs the model's view permission too (nothing is public)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }


class HasPermission:
    """For endpoints without a model queryset: `permission_classes = [HasPermission.of("x.y")]`."""

    @staticmethod
    def of(perm: str):
        from rest_framework.permissions import BasePermission

        class _Permission(BasePermission):
            def has_permission(self, request, view):
                return bool(
                    request.user and request.user.is_authenticated and request.user.has_perm(perm)
                )

        _Permission.__name__ = f"HasPermission[{perm}]"
        return _Permission
