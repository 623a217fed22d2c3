"""困りごとスポット: review and publication, and the ranked suggestions of people for a spot."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from kiyose.adminkit import MailInline, TransitionAdminMixin
from talentbank import models, services
from talentbank.admin.base import RoleAdmin, has_role, object_or_404
from talentbank.admin.inlines import SpotMatchInline
from talentbank.models import DAYS, TIMES, WAYS, Person, Spot, mask_labels


@admin.register(Spot)
class SpotAdmin(TransitionAdminMixin, RoleAdmin):
    workflow = services.SPOT_FLOW
    transition_service = staticmethod(services.spot_transition)
    inlines = [SpotMatchInline, MailInline]
    change_form_template = "admin/talentbank/spot/change_form.html"
    list_display = [
        "title",
        "body_name",
        "body_kind",
        "field",
        "status",
        "headcount",
        "created_at",
        "published_at",
    ]
    list_filter = ["status", "body_kind", "project", "field", "area"]
    search_fields = ["title", "body_name", "needed", "place"]
    readonly_fields = ["reference", "status", "created_at", "published_at"]
    fieldsets = [
        (_("状態"), {"fields": ["reference", "status", "created_at", "published_at", "project", "review_note"]}),
        (_("団体"), {"fields": ["body_name", "body_kind", "contact_name", "contact_email", "contact_phone"]}),
        (_("困りごと"), {"fields": ["field", "title", "needed", "skill_keywords", "headcount", "ways"]}),
        (_("日時と場所"), {"fields": ["when_text", "days", "times", "place", "area", "closes_on"]}),
    ]
    actions = ["publish", "close"]

    def _move(self, request, queryset, target):
        done = 0
        for spot in queryset:
            try:
                services.spot_transition(obj=spot, to=target, by=request.user, data={})
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{spot}: {' '.join(exc.messages)}", messages.WARNING)
        self.message_user(
            request,
            _("%(n)d 件を「%(s)s」にしました。") % {"n": done, "s": Spot.Status(target).label},
            messages.SUCCESS,
        )

    # Refusing a proposal needs its reason (the partner is told): that is the transition page, not an action.
    @admin.action(description=_("選択したスポットを公開する（募集中）"))
    def publish(self, request, queryset):
        self._move(request, queryset, Spot.Status.PUBLISHED)

    @admin.action(description=_("選択したスポットの募集を終了する"))
    def close(self, request, queryset):
        self._move(request, queryset, Spot.Status.CLOSED)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/suggestions/", wrap(self.suggestions_view), name="talentbank_spot_suggestions"),
        ] + super().get_urls()

    def suggestions_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        spot = object_or_404(Spot.objects.select_related("field"), pk)
        if request.method == "POST":
            if not has_role(request) or not request.user.has_perm("talentbank.add_match"):
                raise PermissionDenied
            person = object_or_404(Person, request.POST.get("person", ""))
            self.run_service(
                request,
                lambda: services.match_propose(spot=spot, person=person),
                _("%(ref)s を提案として記録しました。") % {"ref": person.reference},
            )
            return redirect("admin:talentbank_spot_suggestions", spot.pk)
        people = Person.objects.suggestions_for(spot)
        rows = [{"person": p, "score": p.score, "reasons": suggestion_reasons(spot, p)} for p in people]
        context = {
            **self.admin_site.each_context(request),
            "title": _("候補者の提案：%(spot)s") % {"spot": spot},
            "spot": spot,
            "rows": rows,
            "opts": self.model._meta,
            "can_propose": request.user.has_perm("talentbank.add_match"),
        }
        return TemplateResponse(request, "admin/talentbank/spot/suggestions.html", context)


def suggestion_reasons(spot: Spot, person: Person) -> list[str]:
    """Why a person ranks where they do: one line per criterion that gave points (from the annotations)."""
    reasons = []
    if person.has_field:
        reasons.append(_("関心分野「%(f)s」（+%(w)d）") % {"f": spot.field.name, "w": models.WEIGHT_FIELD})
    for keyword in person.skill_hits:
        reasons.append(_("特技・資格に「%(k)s」（+%(w)d）") % {"k": keyword, "w": models.WEIGHT_SKILL})
    if person.day_overlap:
        reasons.append(
            _("曜日が合う：%(d)s（+%(w)d）")
            % {"d": "、".join(mask_labels(person.day_overlap, DAYS)), "w": models.WEIGHT_DAYS}
        )
    if person.time_overlap:
        reasons.append(
            _("時間帯が合う：%(t)s（+%(w)d）")
            % {"t": "、".join(mask_labels(person.time_overlap, TIMES)), "w": models.WEIGHT_TIMES}
        )
    if spot.area and spot.area != "outside" and person.area == spot.area:
        reasons.append(_("地域が同じ：%(a)s（+%(w)d）") % {"a": spot.get_area_display(), "w": models.WEIGHT_AREA})
    if person.way_overlap:
        reasons.append(
            _("関わり方が合う：%(h)s（+%(w)d）")
            % {"h": "、".join(mask_labels(person.way_overlap, WAYS)), "w": models.WEIGHT_WAYS}
        )
    if person.is_graduate:
        reasons.append(_("SDGs人材（越境学習プログラム修了）（+%(w)d）") % {"w": models.WEIGHT_GRADUATE})
    return [str(r) for r in reasons]
