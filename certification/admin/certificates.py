"""Certificates: the public profile and contact, revocation through the workflow's page, renewal and report
links through their own pages, and the places under the cap."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from certification import documents
from certification.admin.applications import errors_text
from certification.forms import AdminModelForm
from certification.models import AnnualReport, Certificate, CertificateSlot, GoalsField
from certification.services import CERTIFICATE_FLOW, certificate_renew, certificate_transition, report_invitation_issue
from certification.services.profiles import profile_link_issue
from kiyose.adminkit import MailInline, TransitionAdminMixin
from kiyose.forms import PortalFormMixin
from kiyose.pdf import pdf_response
from kiyose.wareki import fiscal_year


class CertificateAdminForm(AdminModelForm):
    printed_fields = ("holder_name",)

    class Meta:
        model = Certificate
        fields = ["holder_name", "summary", "url", "goals", "contact_email"]


class InviteForm(PortalFormMixin, forms.Form):
    report_year = forms.IntegerField(
        label=gettext_lazy("報告対象年度（西暦）"),
        required=False,
        min_value=2000,
        max_value=2200,
        help_text=gettext_lazy("空欄なら、いま提出を求めている年度です。"),
    )


class AnnualReportInline(admin.TabularInline):
    model = AnnualReport
    fields = ("fiscal_year", "status", "submitted_at", "on_time", "outcomes")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True


def report_year_asked(certificate: Certificate, today) -> int:
    due = certificate.report_year_due(today)
    return due if due is not None else fiscal_year(today)


@admin.register(Certificate)
class CertificateAdmin(TransitionAdminMixin, SimpleHistoryAdmin):
    workflow = CERTIFICATE_FLOW
    transition_service = staticmethod(certificate_transition)
    change_form_template = "certification/admin/certificate_change_form.html"
    form = CertificateAdminForm
    # GoalsField stores text, so the admin would otherwise offer a text box for it.
    formfield_overrides = {GoalsField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [AnnualReportInline, MailInline]
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
        (None, {"fields": readonly_fields}),
        (gettext_lazy("公表する内容・連絡先"), {"fields": ("holder_name", "summary", "url", "goals", "contact_email")}),
    )
    actions = ["certificates_pdf", "invite_selected", "renew_selected"]

    def has_add_permission(self, request):
        return False  # a certificate is issued only by certifying an application (cap and numbering)

    def has_delete_permission(self, request, obj=None):
        return False  # numbers are never reused; end a certificate by revoking it

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/certificate.pdf", wrap(self.certificate_pdf_view), name="certification_certificate_pdf"),
            path("<int:pk>/invite/", wrap(self.invite_view), name="certification_certificate_invite"),
            path("<int:pk>/renew/", wrap(self.renew_view), name="certification_certificate_renew"),
            path("<int:pk>/profile-link/", wrap(self.profile_link_view), name="certification_certificate_profile_link"),
            *super().get_urls(),
        ]

    def certificate_pdf_view(self, request, pk: int):
        certificate = get_object_or_404(Certificate, pk=pk)
        if not self.has_view_permission(request, certificate):
            raise PermissionDenied
        return pdf_response(documents.certificates_pdf([certificate]), documents.certificates_filename([certificate]))

    def _operation(self, request, pk: int, *, title: str, form, run):
        """One page per operation that is not a change of status (a report link, a renewal)."""
        certificate = get_object_or_404(Certificate, pk=pk)
        change_url = reverse("admin:certification_certificate_change", args=[pk])
        if not self.has_change_permission(request, certificate):
            raise PermissionDenied
        if request.method == "POST" and form.is_valid():
            try:
                message = run(certificate, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(request, message, messages.SUCCESS)
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{certificate}：{title}",
            "obj": certificate,
            "form": form,
            "opts": self.opts,
            "change_url": change_url,
        }
        return TemplateResponse(request, "certification/admin/operation.html", context)

    def invite_view(self, request, pk: int):
        def run(certificate, data):
            today = timezone.localdate()
            year = data.get("report_year") or report_year_asked(certificate, today)
            report_invitation_issue(certificate=certificate, year=year, today=today)
            return _("報告用リンクを発行し、メールで送りました。")

        return self._operation(
            request, pk, title=_("年間報告書の提出リンクを発行する"), form=InviteForm(request.POST or None), run=run
        )

    def renew_view(self, request, pk: int):
        def run(certificate, data):
            renewed = certificate_renew(certificate=certificate)
            return _("更新しました。新しい有効期限：{until}").format(until=renewed.valid_until)

        return self._operation(request, pk, title=_("更新する"), form=forms.Form(request.POST or None), run=run)

    def profile_link_view(self, request, pk: int):
        def run(certificate, data):
            profile_link_issue(certificate=certificate)
            return _("公表内容の変更用リンクを発行し、メールで送りました。")

        return self._operation(
            request, pk, title=_("公表内容の変更用リンクを送る"), form=forms.Form(request.POST or None), run=run
        )

    @admin.display(description=gettext_lazy("認定証PDF"))
    def pdf_link(self, obj):
        url = reverse("admin:certification_certificate_pdf", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("PDFを開く"))

    @admin.action(description=gettext_lazy("認定証（PDF）を作成する"), permissions=["view"])
    def certificates_pdf(self, request, queryset):
        certificates = list(queryset.order_by("serial"))
        return pdf_response(
            documents.certificates_pdf(certificates), documents.certificates_filename(certificates), inline=False
        )

    @admin.action(
        description=gettext_lazy("年間報告書の提出リンクを発行（再発行）してメールで送る"), permissions=["change"]
    )
    def invite_selected(self, request, queryset):
        today = timezone.localdate()
        sent = 0
        for certificate in queryset.order_by("serial"):
            try:
                report_invitation_issue(
                    certificate=certificate, year=report_year_asked(certificate, today), today=today
                )
                sent += 1
            except ValidationError as error:
                self.message_user(request, f"{certificate.number}：{errors_text(error)}", messages.ERROR)
        self.message_user(request, _("{n}件のリンクを送りました。").format(n=sent), messages.INFO)

    @admin.action(description=gettext_lazy("選択した認定証を更新する"), permissions=["change"])
    def renew_selected(self, request, queryset):
        for certificate in queryset.order_by("serial"):
            try:
                certificate_renew(certificate=certificate)
            except ValidationError as error:
                self.message_user(request, f"{certificate.number}：{errors_text(error)}", messages.ERROR)


@admin.register(CertificateSlot)
class CertificateSlotAdmin(admin.ModelAdmin):
    list_display = ("number", "certificate")
    list_select_related = ("certificate",)
    readonly_fields = ("number", "certificate")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
