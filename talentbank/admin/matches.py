"""Matches: staff move them along the explicit transitions of the service."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from talentbank import services
from talentbank.admin.base import RoleAdmin
from talentbank.models import Match, Person, Spot


class MatchForm(forms.ModelForm):
    next_status = forms.ChoiceField(label=_("状態を進める"), required=False)
    note = forms.CharField(
        label=_("経過メモに追記"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    class Meta:
        model = Match
        fields = ["spot", "person", "hours"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("（変更しない）"))]
        if self.instance.pk:
            choices += [(s, Match.Status(s).label) for s in services.match_next_statuses(self.instance)]
            self.fields["spot"].disabled = True
            self.fields["person"].disabled = True
        else:
            self.fields["person"].queryset = Person.objects.active()
            self.fields["spot"].queryset = Spot.objects.filter(status=Spot.Status.PUBLISHED)
            self.fields.pop("next_status", None)
            self.fields.pop("hours", None)
        if "next_status" in self.fields:
            self.fields["next_status"].choices = choices


@admin.register(Match)
class MatchAdmin(RoleAdmin):
    form = MatchForm
    list_display = [
        "__str__",
        "spot",
        "person_ref",
        "status",
        "hours",
        "proposed_at",
        "started_at",
        "ended_at",
    ]
    list_filter = ["status", "spot__body_kind", "spot__field"]
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
            "next_status",
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
            to = form.cleaned_data.get("next_status") or obj.status
            saved = services.match_transition(
                match=obj, to=to, note=note, hours=form.cleaned_data.get("hours")
            )
        # The admin's log and redirect read from `obj`: give it what the service saved.
        for f in Match._meta.concrete_fields:
            setattr(obj, f.attname, getattr(saved, f.attname))
