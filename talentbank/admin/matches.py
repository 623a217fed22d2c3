"""Matches: staff move them with the workflow's buttons (one page per transition, services.MATCH_FLOW); the
match's own page adds hours and notes."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kiyose.adminkit import TransitionAdminMixin
from talentbank import services
from talentbank.admin.base import RoleAdmin
from talentbank.forms import MatchAdminForm
from talentbank.models import Match


@admin.register(Match)
class MatchAdmin(TransitionAdminMixin, RoleAdmin):
    workflow = services.MATCH_FLOW
    transition_service = staticmethod(services.match_transition)
    form = MatchAdminForm
    list_display = ["__str__", "spot", "person_ref", "status", "hours", "proposed_at", "started_at", "ended_at"]
    list_filter = ["status", "spot__body_kind", "spot__project", "spot__field"]
    list_select_related = ["spot", "person"]
    readonly_fields = ["status", "notes", "proposed_at", "contacted_at", "started_at", "ended_at"]
    raw_id_fields = ["person"]
    search_fields = ["spot__title", "spot__body_name"]

    @admin.display(description=_("登録者"))
    def person_ref(self, obj):
        url = reverse("admin:talentbank_person_change", args=[obj.person_id])
        return format_html('<a href="{}">{}</a>', url, obj.person)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["spot", "person", "note"]
        return [
            "spot",
            "person",
            "status",
            "hours",
            "note",
            "notes",
            "proposed_at",
            "contacted_at",
            "started_at",
            "ended_at",
        ]

    def save_model(self, request, obj, form, change):
        note = form.cleaned_data.get("note", "")
        if not change:
            saved = services.match_propose(spot=obj.spot, person=obj.person, note=note)
        else:
            saved = services.match_note_add(obj=obj, note=note, hours=form.cleaned_data.get("hours"))
        # The admin's log and redirect read from `obj`: give it what the service saved.
        for f in Match._meta.concrete_fields:
            setattr(obj, f.attname, getattr(saved, f.attname))
