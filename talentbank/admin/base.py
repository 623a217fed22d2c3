"""Only 市民協働課 (and superusers) reach the talent bank in the admin."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from simple_history.admin import SimpleHistoryAdmin

from kiyose.roles import Role, user_has_role
from talentbank.forms import AdminModelForm

ROLE = Role.KYODO


def has_role(request) -> bool:
    # Admin asks many times per page; one query per request is enough.
    if not hasattr(request, "_talentbank_role"):
        request._talentbank_role = user_has_role(request.user, ROLE)
    return request._talentbank_role


class RoleMixin:
    """Personal data is 市民協働課's: even a user given these model permissions by hand needs the role."""

    def has_module_permission(self, request):
        return has_role(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return has_role(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return has_role(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return has_role(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return has_role(request) and super().has_delete_permission(request, obj)


class RoleAdmin(RoleMixin, SimpleHistoryAdmin):
    form = AdminModelForm

    def run_service(self, request, call, success):
        try:
            call()
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return False
        self.message_user(request, success, messages.SUCCESS)
        return True


def object_or_404(queryset, pk):
    """get_object_or_404 for an id from the URL or a form: anything but a database-sized integer is a 404."""
    text = str(pk)
    if not text.isascii() or not text.isdigit() or int(text) >= 2**63:
        raise Http404
    return get_object_or_404(queryset, pk=int(text))
