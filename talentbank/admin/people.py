"""People: details, consents, confirmation by phone, renewal, export and erasure."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from kiyose.adminkit import MailInline
from kiyose.enquiries import EnquiryAdmin
from kiyose.exports import csv_response
from talentbank import services
from talentbank.admin.base import RoleAdmin, RoleMixin, has_role, object_or_404
from talentbank.admin.inlines import PersonMatchInline
from talentbank.forms import AdminModelForm
from talentbank.models import Consent, Enquiry, ErasureRecord, Graduate, Person


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    fields = ["kind", "granted", "version", "recorded_at", "wording"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return has_role(request) and super().has_view_permission(request, obj)


class GraduationInline(admin.TabularInline):
    model = Graduate
    form = AdminModelForm
    extra = 0
    fields = ["cohort", "completed_on"]
    verbose_name = _("SDGs人材（修了した期）")
    verbose_name_plural = _("SDGs人材（修了した期）")


class RetentionFilter(admin.SimpleListFilter):
    title = _("更新の確認")
    parameter_name = "retention"

    def lookups(self, request, model_admin):
        return [("noticed", _("更新案内済み（返事待ち）")), ("phone", _("更新案内済み・電話での確認が必要"))]

    def queryset(self, request, queryset):
        if self.value() == "noticed":
            return queryset.filter(retention_notice_at__isnull=False)
        if self.value() == "phone":
            return queryset.filter(retention_notice_at__isnull=False, email="")
        return queryset


STATE_FIELDS = [
    "reference",
    "status",
    "registered_at",
    "confirmed_at",
    "confirm_method",
    "renewed_at",
    "retention_notice_at",
    "erased_at",
]


@admin.register(Person)
class PersonAdmin(RoleAdmin):
    change_form_template = "admin/talentbank/person/change_form.html"
    list_display = [
        "display_name",
        "furigana",
        "status",
        "age_band",
        "area",
        "confirmed_at",
        "renewed_at",
        "retention_notice_at",
    ]
    list_filter = ["status", RetentionFilter, "confirm_method", "age_band", "area", "fields"]
    search_fields = ["name", "furigana", "email", "phone", "skills", "qualifications"]
    # The registration's state is shown, never typed: it changes only through the services.
    readonly_fields = STATE_FIELDS
    fieldsets = [
        (
            _("登録の状態"),
            {"fields": STATE_FIELDS},
        ),
        (
            _("ご本人"),
            {
                "fields": [
                    "name",
                    "furigana",
                    "age_band",
                    ("lives_in_city", "works_in_city", "studies_in_city"),
                    "area",
                ]
            },
        ),
        (_("連絡先"), {"fields": ["email", "phone"]}),
        (
            _("関心・特技・日時"),
            {
                "fields": [
                    "fields",
                    "skills",
                    "qualifications",
                    "available_days",
                    "available_times",
                    "availability_note",
                    "ways",
                ]
            },
        ),
        (_("職員メモ"), {"fields": ["staff_note"]}),
    ]
    inlines = [ConsentInline, GraduationInline, PersonMatchInline, MailInline]
    actions = ["confirm_by_phone", "resend_confirmation", "renew", "withdraw_share", "withdraw_partner"]
    list_per_page = 50

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "fields":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_add_permission(self, request):
        # People register on the public form (staff may fill it in for them): the consents come from it.
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would leave the history behind: the way out of the bank is 消去 (erasure), below.
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == Person.Status.ERASED:
            return [f for fs in self.fieldsets for f in _flatten(fs[1]["fields"])]
        return self.readonly_fields

    @admin.display(description=_("氏名"), ordering="name")
    def display_name(self, obj):
        return str(obj)

    @admin.display(description=_("登録番号"))
    def reference(self, obj):
        return obj.reference

    @admin.action(description=_("電話で本人確認済みにする"))
    def confirm_by_phone(self, request, queryset):
        done = 0
        for person in queryset.filter(status=Person.Status.PENDING):
            services.person_confirm_by_phone(person=person)
            done += 1
        self.message_user(request, _("%(n)d 件の登録を完了しました。") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("確認メールを送り直す（本人確認待ちの方）"))
    def resend_confirmation(self, request, queryset):
        done = 0
        for person in queryset.filter(status=Person.Status.PENDING).exclude(email=""):
            services.person_resend_confirmation(person=person, site_url=request.build_absolute_uri("/"))
            done += 1
        self.message_user(request, _("%(n)d 件の確認メールを送りました。") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("登録の継続を確認した（更新）"))
    def renew(self, request, queryset):
        done = 0
        for person in queryset.filter(status=Person.Status.ACTIVE):
            services.person_renew(person=person)
            done += 1
        self.message_user(request, _("%(n)d 件の登録を更新しました。") % {"n": done}, messages.SUCCESS)

    def _withdraw(self, request, queryset, kind):
        done = 0
        for person in queryset.filter(status=Person.Status.ACTIVE):
            services.consent_withdraw(person=person, kind=kind)
            done += 1
        self.message_user(request, _("%(n)d 件の同意の撤回を記録しました。") % {"n": done}, messages.SUCCESS)

    @admin.action(description=_("市の関係課との共有の同意を撤回する（本人の申し出）"))
    def withdraw_share(self, request, queryset):
        self._withdraw(request, queryset, Consent.Kind.SHARE)

    @admin.action(description=_("連携団体への連絡先提供の同意を撤回する（本人の申し出）"))
    def withdraw_partner(self, request, queryset):
        self._withdraw(request, queryset, Consent.Kind.PARTNER)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/export/", wrap(self.export_view), name="talentbank_person_export"),
            path("<int:pk>/erase/", wrap(self.erase_view), name="talentbank_person_erase"),
        ] + super().get_urls()

    def _person_or_403(self, request, pk, *, change=False):
        allowed = self.has_change_permission(request) if change else self.has_view_permission(request)
        if not allowed:
            raise PermissionDenied
        return object_or_404(Person, pk)

    def export_view(self, request, pk):
        person = self._person_or_403(request, pk)
        rows = services.person_export_rows(person=person)
        return csv_response(f"talentbank_{person.reference}.csv", [str(h) for h in services.EXPORT_HEADER], rows)

    def erase_view(self, request, pk):
        person = self._person_or_403(request, pk, change=True)
        if request.method == "POST":
            services.person_erase(person=person, reason=ErasureRecord.Reason.REQUEST, by=request.user.get_username())
            self.message_user(
                request,
                _("登録 %(ref)s の個人情報を消去しました。") % {"ref": person.reference},
                messages.SUCCESS,
            )
            return redirect("admin:talentbank_person_change", person.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("登録情報の消去"),
            "person": person,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/talentbank/person/erase.html", context)


def _flatten(fields):
    for f in fields:
        if isinstance(f, (list, tuple)):
            yield from f
        else:
            yield f


@admin.register(Enquiry)
class TalentbankEnquiryAdmin(RoleMixin, EnquiryAdmin):
    """/talentbank/contact/'s enquiries: 市民協働課's only, like the rest of the app."""
