"""Staff roles: one Django group per section, holding exactly the model permissions of its apps."""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from kiyose.portal import ROLE_APPS, SHARED_PERMISSIONS, Role

__all__ = ["ROLE_APPS", "Role", "RoleRequiredMixin", "roles_sync", "user_has_role"]


def roles_sync(*, using: str = "default") -> None:
    """Create the groups of ROLE_APPS and give each exactly its apps' model permissions."""
    from django.contrib.auth.models import Group, Permission

    with transaction.atomic(using=using):
        for name, app_labels in ROLE_APPS.items():
            group, _ = Group.objects.using(using).get_or_create(name=name)
            shared = Q()
            for app_label, codename in SHARED_PERMISSIONS:
                shared |= Q(content_type__app_label=app_label, codename=codename)
            perms = Permission.objects.using(using).filter(Q(content_type__app_label__in=app_labels) | shared)
            group.permissions.set(perms)


def roles_sync_after_migrate(sender, using="default", **kwargs):
    # Run once per migrate, after the last app: earlier calls would miss permissions not yet created.
    from django.apps import apps

    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    roles_sync(using=using)


def user_has_role(user, role: str) -> bool:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=role).exists()


class RoleRequiredMixin(AccessMixin):
    """A staff view for one section: anonymous users go to the login page, other staff get 403."""

    role: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_has_role(request.user, self.role):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
