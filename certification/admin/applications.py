"""Applications and the self-check list: review through the workflow's buttons and pages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from certification import documents
from certification.forms import AdminModelForm
from certification.models import APPLICANT_FIELDS, Application, SelfCheckAnswer, SelfCheckQuestion
from certification.services import (
    APPLICATION_FLOW,
    application_certify,
    application_review_start,
    application_transition,
    waitlist_promote,
)
from kiyose.adminkit import MailInline, TransitionAdminMixin
from kiyose.pdf import pdf_response


def errors_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@admin.register(SelfCheckQuestion)
class SelfCheckQuestionAdmin(SimpleHistoryAdmin):
    form = AdminModelForm
    list_display = ("text", "pillar", "max_score", "order", "active")
    list_editable = ("order", "active")
    list_filter = ("active", "pillar")


class SelfCheckAnswerInline(admin.TabularInline):
    model = SelfCheckAnswer
    form = AdminModelForm
    fields = ("question_text", "answer", "score")
    readonly_fields = ("question_text", "answer")
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = gettext_lazy("セルフチェックと審査点")


@admin.register(Application)
class ApplicationAdmin(TransitionAdminMixin, SimpleHistoryAdmin):
    workflow = APPLICATION_FLOW
    transition_service = staticmethod(application_transition)
    form = AdminModelForm
    inlines = [SelfCheckAnswerInline, MailInline]
    list_display = ("reference", "org_name", "kind", "intake", "status", "score", "submitted_at", "waitlisted_at")
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
        # What the applicant typed is never edited by staff (the goals shown as their names).
        *("goal_list" if name == "goals" else name for name in APPLICANT_FIELDS),
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
        (gettext_lazy("審査"), {"fields": ("reviewer_notes",)}),
    )
    actions = ["review_selected", "certify_selected", "notices_pdf", "promote_waiting"]

    def has_add_permission(self, request):
        # Applications arrive through the public form (intake bodies may use it on the applicant's behalf).
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.notice_pdf_view)
        return [path("<int:pk>/notice.pdf", view, name="certification_application_notice_pdf"), *super().get_urls()]

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
        if obj.status not in (Application.Status.CERTIFIED, Application.Status.REJECTED, Application.Status.WAITING):
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
        # Only the reviewer's notes are typed here; every change of status has its own page (the workflow).
        obj.save(update_fields=["reviewer_notes"])

    def _certify(self, request, application) -> None:
        certificate = application_certify(application=application, by=request.user)
        if certificate is None:
            self.message_user(
                request,
                _("{ref}：認定数が上限に達しているため順番待ちにしました。").format(ref=application.reference),
                messages.WARNING,
            )
        else:
            self.message_user(
                request,
                _("{ref}：{number}として認定しました。").format(ref=application.reference, number=certificate.number),
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("選択した申請の審査を開始する"), permissions=["change"])
    def review_selected(self, request, queryset):
        for application in queryset.order_by("submitted_at"):
            try:
                application_review_start(application=application)
            except ValidationError as error:
                self.message_user(request, f"{application.reference}：{errors_text(error)}", messages.ERROR)

    @admin.action(description=gettext_lazy("選択した申請を認定する（申請順）"), permissions=["change"])
    def certify_selected(self, request, queryset):
        for application in queryset.order_by("submitted_at"):
            try:
                self._certify(request, application)
            except ValidationError as error:
                self.message_user(request, f"{application.reference}：{errors_text(error)}", messages.ERROR)

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
        issued = waitlist_promote()
        self.message_user(request, _("{n}件を認定しました。").format(n=len(issued)), messages.INFO)
