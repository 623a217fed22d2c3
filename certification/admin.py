"""未来創造課's desk: review applications, certify under the cap, manage certificates and report links.

Every status change goes through certification.services, the same functions the tests and the daily run use.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from certification import documents, services
from certification.goals import GoalsField
from certification.models import (
    AnnualReport,
    Application,
    Certificate,
    CertificateSlot,
    Notice,
    ReportInvitation,
    SelfCheckAnswer,
    SelfCheckQuestion,
)
from kiyose.pdf import pdf_response
from kiyose.wareki import fiscal_year


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@admin.register(SelfCheckQuestion)
class SelfCheckQuestionAdmin(SimpleHistoryAdmin):
    list_display = ("text", "pillar", "max_score", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("active", "pillar")


class SelfCheckAnswerInline(admin.TabularInline):
    model = SelfCheckAnswer
    fields = ("question_text", "answer", "score")
    readonly_fields = ("question_text", "answer")
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("セルフチェックと審査点")


class ApplicationAdminForm(forms.ModelForm):
    TRANSITIONS = [
        ("", gettext_lazy("（変更しない）")),
        ("review", gettext_lazy("審査を開始する（受付 → 審査中）")),
        ("certify", gettext_lazy("認定する（上限に達している場合は順番待ち）")),
        ("reject", gettext_lazy("不認定とする（理由が必要）")),
        ("withdraw", gettext_lazy("取下げとする")),
    ]
    transition = forms.ChoiceField(label=gettext_lazy("状態の変更"), choices=TRANSITIONS, required=False)
    reason = forms.CharField(
        label=gettext_lazy("不認定・取下げの理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Application
        fields = ["reviewer_notes"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("transition") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("不認定の理由を入力してください。"))
        return cleaned


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    form = ApplicationAdminForm
    inlines = [SelfCheckAnswerInline]
    list_display = (
        "reference",
        "org_name",
        "kind",
        "intake",
        "status",
        "score",
        "submitted_at",
        "waitlisted_at",
    )
    list_filter = ("status", "kind", "intake")
    search_fields = ("reference", "org_name", "org_name_kana", "contact_name", "contact_email")
    date_hierarchy = "submitted_at"
    readonly_fields = (
        "reference",
        "status",
        "notice_link",
        "submitted_at",
        "decided_at",
        "waitlisted_at",
        "decision_reason",
        "org_name",
        "org_name_kana",
        "kind",
        "intake",
        "address",
        "url",
        "representative_title",
        "representative_name",
        "contact_name",
        "contact_email",
        "contact_phone",
        "goal_list",
        "initiative_economy",
        "initiative_society",
        "initiative_environment",
        "summary",
        "commit_annual_report",
        "consent_publication",
    )
    fieldsets = (
        (
            gettext_lazy("受付"),
            {
                "fields": (
                    "reference",
                    "status",
                    "notice_link",
                    "submitted_at",
                    "waitlisted_at",
                    "decided_at",
                    "decision_reason",
                )
            },
        ),
        (gettext_lazy("団体"), {"fields": ("org_name", "org_name_kana", "kind", "intake", "address", "url")}),
        (
            gettext_lazy("代表者・担当者"),
            {
                "fields": (
                    "representative_title",
                    "representative_name",
                    "contact_name",
                    "contact_email",
                    "contact_phone",
                )
            },
        ),
        (
            gettext_lazy("取組"),
            {
                "fields": (
                    "goal_list",
                    "initiative_economy",
                    "initiative_society",
                    "initiative_environment",
                    "summary",
                    "commit_annual_report",
                    "consent_publication",
                )
            },
        ),
        (gettext_lazy("審査"), {"fields": ("reviewer_notes", "transition", "reason")}),
    )
    actions = ["review_selected", "certify_selected", "notices_pdf", "promote_waiting"]

    def has_add_permission(self, request):
        # Applications arrive through the public form (intake bodies may use it on the applicant's behalf).
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.notice_pdf_view)
        return [path("<int:pk>/notice.pdf", view, name="certification_application_notice_pdf"),
                *super().get_urls()]

    def notice_pdf_view(self, request, pk: int):
        application = get_object_or_404(Application.objects.select_related("certificate"), pk=pk)
        if not self.has_view_permission(request, application):
            raise PermissionDenied
        pdf, _skipped = documents.decision_letters_pdf([application])
        if pdf is None:
            self.message_user(request, _("まだ決定していないため通知書は作成できません。"), messages.WARNING)
            return redirect("admin:certification_application_change", pk)
        return pdf_response(pdf, documents.notices_filename([application]))

    @admin.display(description=gettext_lazy("決定通知書"))
    def notice_link(self, obj):
        if obj.status not in (Application.Status.CERTIFIED, Application.Status.REJECTED,
                              Application.Status.WAITING):
            return "—"
        url = reverse("admin:certification_application_notice_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("PDFを開く"))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(score_sum=Sum("answers__score"))

    @admin.display(description=gettext_lazy("審査点"), ordering="score_sum")
    def score(self, obj):
        return obj.score_sum if obj.score_sum is not None else "—"

    @admin.display(description=gettext_lazy("SDGsの目標"))
    def goal_list(self, obj):
        return "、".join(obj.goal_labels)

    def save_model(self, request, obj, form, change):
        obj.save(update_fields=["reviewer_notes"])
        transition = form.cleaned_data.get("transition")
        reason = form.cleaned_data.get("reason", "")
        try:
            if transition == "review":
                services.application_review_start(application=obj)
            elif transition == "certify":
                self._certify(request, obj)
            elif transition == "reject":
                services.application_reject(application=obj, reason=reason)
            elif transition == "withdraw":
                services.application_withdraw(application=obj, reason=reason)
        except ValidationError as error:
            self.message_user(request, _errors(error), messages.ERROR)
        obj.refresh_from_db()

    def _certify(self, request, application) -> None:
        certificate = services.application_certify(application=application)
        if certificate is None:
            self.message_user(
                request,
                _("{ref}：認定数が上限に達しているため順番待ちにしました。").format(
                    ref=application.reference
                ),
                messages.WARNING,
            )
        else:
            self.message_user(
                request,
                _("{ref}：{number}として認定しました。").format(
                    ref=application.reference, number=certificate.number
                ),
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("選択した申請の審査を開始する"), permissions=["change"])
    def review_selected(self, request, queryset):
        for application in queryset.order_by("submitted_at"):
            try:
                services.application_review_start(application=application)
            except ValidationError as error:
                self.message_user(request, f"{application.reference}：{_errors(error)}", messages.ERROR)

    @admin.action(description=gettext_lazy("選択した申請を認定する（申請順）"), permissions=["change"])
    def certify_selected(self, request, queryset):
        for application in queryset.order_by("submitted_at"):
            try:
                self._certify(request, application)
            except ValidationError as error:
                self.message_user(request, f"{application.reference}：{_errors(error)}", messages.ERROR)

    @admin.action(description=gettext_lazy("決定通知書（PDF）を作成する"), permissions=["view"])
    def notices_pdf(self, request, queryset):
        applications = list(queryset.select_related("certificate").order_by("pk"))
        pdf, skipped = documents.decision_letters_pdf(applications)
        for application in skipped:
            self.message_user(
                request,
                _("{ref}：まだ決定していないため通知書は作成しません。").format(ref=application.reference),
                messages.WARNING,
            )
        if pdf is None:
            return None
        decided = [a for a in applications if a not in skipped]
        return pdf_response(pdf, documents.notices_filename(decided), inline=False)

    @admin.action(description=gettext_lazy("空いている枠に順番待ちの申請を認定する"), permissions=["change"])
    def promote_waiting(self, request, queryset):
        issued = services.waitlist_promote()
        self.message_user(request, _("{n}件を認定しました。").format(n=len(issued)), messages.INFO)


class AnnualReportInline(admin.TabularInline):
    model = AnnualReport
    fields = ("fiscal_year", "submitted_at", "on_time", "outcomes")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True


class CertificateAdminForm(forms.ModelForm):
    OPERATIONS = [
        ("", gettext_lazy("（操作しない）")),
        ("invite", gettext_lazy("年間報告書の提出リンクを発行（再発行）してメールで送る")),
        ("renew", gettext_lazy("更新する（有効期限の年度内）")),
        ("revoke", gettext_lazy("取り消す（理由が必要）")),
    ]
    operation = forms.ChoiceField(label=gettext_lazy("操作"), choices=OPERATIONS, required=False)
    reason = forms.CharField(
        label=gettext_lazy("取消の理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    report_year = forms.IntegerField(
        label=gettext_lazy("報告対象年度（西暦）"),
        required=False,
        min_value=2000,
        max_value=2200,
        help_text=gettext_lazy("空欄なら、いま提出を求めている年度です。"),
    )

    class Meta:
        model = Certificate
        fields = ["holder_name", "summary", "goals", "contact_email"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("operation") == "revoke" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("取消の理由を入力してください。"))
        return cleaned


def _report_year(certificate: Certificate, today) -> int:
    due = certificate.report_year_due(today)
    return due if due is not None else fiscal_year(today)


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    form = CertificateAdminForm
    # GoalsField stores text, so the admin would otherwise offer a text box for it.
    formfield_overrides = {GoalsField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [AnnualReportInline]
    list_display = ("number", "holder_name", "kind", "status", "issued_on", "valid_until")
    list_filter = ("status", "kind")
    search_fields = ("number", "holder_name", "contact_email")
    readonly_fields = (
        "number",
        "pdf_link",
        "serial",
        "application",
        "status",
        "kind",
        "issued_on",
        "valid_until",
        "renewed_on",
        "ended_on",
        "revoked_reason",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "number",
                    "pdf_link",
                    "serial",
                    "application",
                    "status",
                    "kind",
                    "issued_on",
                    "valid_until",
                    "renewed_on",
                    "ended_on",
                    "revoked_reason",
                )
            },
        ),
        (
            gettext_lazy("公表する内容・連絡先"),
            {"fields": ("holder_name", "summary", "goals", "contact_email")},
        ),
        (gettext_lazy("操作"), {"fields": ("operation", "report_year", "reason")}),
    )
    actions = ["certificates_pdf", "invite_selected", "renew_selected"]

    def has_add_permission(self, request):
        return False  # a certificate is issued only by certifying an application (cap and numbering)

    def has_delete_permission(self, request, obj=None):
        return False  # numbers are never reused; end a certificate by revoking it

    def get_urls(self):
        view = self.admin_site.admin_view(self.certificate_pdf_view)
        return [path("<int:pk>/certificate.pdf", view, name="certification_certificate_pdf"),
                *super().get_urls()]

    def certificate_pdf_view(self, request, pk: int):
        certificate = get_object_or_404(Certificate, pk=pk)
        if not self.has_view_permission(request, certificate):
            raise PermissionDenied
        return pdf_response(documents.certificates_pdf([certificate]), documents.certificates_filename([certificate]))

    @admin.display(description=gettext_lazy("認定証PDF"))
    def pdf_link(self, obj):
        url = reverse("admin:certification_certificate_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("PDFを開く"))

    def save_model(self, request, obj, form, change):
        obj.full_clean()
        obj.save(update_fields=["holder_name", "summary", "goals", "contact_email"])
        operation = form.cleaned_data.get("operation")
        today = timezone.localdate()
        try:
            if operation == "invite":
                year = form.cleaned_data.get("report_year") or _report_year(obj, today)
                services.report_invitation_issue(certificate=obj, year=year, today=today)
                self.message_user(request, _("報告用リンクを発行し、メールで送りました。"), messages.SUCCESS)
            elif operation == "renew":
                services.certificate_renew(certificate=obj, today=today)
            elif operation == "revoke":
                services.certificate_revoke(certificate=obj, reason=form.cleaned_data["reason"], today=today)
        except ValidationError as error:
            self.message_user(request, _errors(error), messages.ERROR)
        obj.refresh_from_db()

    @admin.action(description=gettext_lazy("認定証（PDF）を作成する"), permissions=["view"])
    def certificates_pdf(self, request, queryset):
        certificates = list(queryset.order_by("serial"))
        return pdf_response(
            documents.certificates_pdf(certificates), documents.certificates_filename(certificates), inline=False
        )

    @admin.action(
        description=gettext_lazy("年間報告書の提出リンクを発行（再発行）してメールで送る"),
        permissions=["change"],
    )
    def invite_selected(self, request, queryset):
        today = timezone.localdate()
        sent = 0
        for certificate in queryset.order_by("serial"):
            try:
                services.report_invitation_issue(
                    certificate=certificate, year=_report_year(certificate, today), today=today
                )
                sent += 1
            except ValidationError as error:
                self.message_user(request, f"{certificate.number}：{_errors(error)}", messages.ERROR)
        self.message_user(request, _("{n}件のリンクを送りました。").format(n=sent), messages.INFO)

    @admin.action(description=gettext_lazy("選択した認定証を更新する"), permissions=["change"])
    def renew_selected(self, request, queryset):
        for certificate in queryset.order_by("serial"):
            try:
                services.certificate_renew(certificate=certificate)
            except ValidationError as error:
                self.message_user(request, f"{certificate.number}：{_errors(error)}", messages.ERROR)


@admin.register(AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ("certificate", "fiscal_year", "submitted_at", "on_time")
    list_filter = ("fiscal_year", "on_time")
    search_fields = ("certificate__number", "certificate__holder_name")
    list_select_related = ("certificate",)
    readonly_fields = ("certificate", "fiscal_year", "submitted_at", "on_time")

    def has_add_permission(self, request):
        return False  # holders file reports through their secret link


@admin.register(ReportInvitation)
class ReportInvitationAdmin(SimpleHistoryAdmin):
    list_display = ("certificate", "fiscal_year", "created_at", "expires_on", "used_at", "revoked_at")
    list_filter = ("fiscal_year",)
    list_select_related = ("certificate",)
    readonly_fields = ("certificate", "fiscal_year", "created_at", "expires_on", "used_at", "revoked_at")
    exclude = ("token_hash",)

    def has_add_permission(self, request):
        return False  # issued from the certificate page, so the token reaches the holder by mail


@admin.register(Notice)
class NoticeAdmin(SimpleHistoryAdmin):
    list_display = ("certificate", "fiscal_year", "kind", "sent_on")
    list_filter = ("kind", "fiscal_year")
    list_select_related = ("certificate",)
    readonly_fields = ("certificate", "fiscal_year", "kind", "sent_on")

    def has_add_permission(self, request):
        return False


@admin.register(CertificateSlot)
class CertificateSlotAdmin(admin.ModelAdmin):
    list_display = ("number", "certificate")
    list_select_related = ("certificate",)
    readonly_fields = ("number", "certificate")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
