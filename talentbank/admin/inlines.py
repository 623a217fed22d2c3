"""Read-only lists of matches on a person's and a spot's page (matches change on their own page)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from talentbank.admin.base import has_role
from talentbank.models import Match


class MatchInline(admin.TabularInline):
    model = Match
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["link", "status", "hours", "proposed_at", "started_at", "ended_at"]
    readonly_fields = fields
    verbose_name = _("マッチング")
    verbose_name_plural = _("マッチング")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return has_role(request) and super().has_view_permission(request, obj)

    @admin.display(description=_("相手"))
    def link(self, obj):
        target = obj.spot if self.fk_name == "person" else obj.person
        url = reverse(f"admin:talentbank_{target._meta.model_name}_change", args=[target.pk])
        return format_html('<a href="{}">{}</a>', url, target)


class PersonMatchInline(MatchInline):
    fk_name = "person"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("spot")


class SpotMatchInline(MatchInline):
    fk_name = "spot"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person")
