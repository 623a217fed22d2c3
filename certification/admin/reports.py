"""What holders send: annual reports (published after review), profile updates (shown after review), their
links, the lifecycle notices sent, and the scheme's enquiries."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from certification.forms import AdminModelForm
from certification.models import AnnualReport, Enquiry, Notice, ProfileLink, ProfileUpdate, ReportInvitation
from certification.services.profiles import PROFILE_FLOW, profile_update_transition
from certification.services.reports import REPORT_FLOW, report_transition
from kiyose.adminkit import MailInline, TransitionAdminMixin
from kiyose.enquiries import EnquiryAdmin

admin.site.register(Enquiry, EnquiryAdmin)


@admin.register(AnnualReport)
class AnnualReportAdmin(TransitionAdminMixin, SimpleHistoryAdmin):
    workflow = REPORT_FLOW
    transition_service = staticmethod(report_transition)
    form = AdminModelForm
    inlines = [MailInline]
    list_display = ("certificate", "fiscal_year", "status", "submitted_at", "on_time")
    list_filter = ("status", "fiscal_year", "on_time")
    search_fields = ("certificate__number", "certificate__holder_name")
    list_select_related = ("certificate",)
    readonly_fields = ("certificate", "fiscal_year", "submitted_at", "on_time", "status", "withheld_reason")

    def has_add_permission(self, request):
        return False  # holders file reports through their secret link


@admin.register(ProfileUpdate)
class ProfileUpdateAdmin(TransitionAdminMixin, SimpleHistoryAdmin):
    workflow = PROFILE_FLOW
    transition_service = staticmethod(profile_update_transition)
    inlines = [MailInline]
    list_display = ("certificate", "status", "submitted_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("certificate__number", "certificate__holder_name")
    list_select_related = ("certificate",)
    readonly_fields = ("certificate", "status", "summary", "url", "submitted_at", "decided_at", "decline_reason")

    def has_add_permission(self, request):
        return False  # holders propose through their secret link


class LinkAdmin(SimpleHistoryAdmin):
    list_select_related = ("certificate",)
    exclude = ("token_hash",)

    def has_add_permission(self, request):
        return False  # issued from the certificate page, so the token reaches the holder by mail


@admin.register(ReportInvitation)
class ReportInvitationAdmin(LinkAdmin):
    list_display = ("certificate", "fiscal_year", "created_at", "expires_on", "used_at", "revoked_at")
    list_filter = ("fiscal_year",)
    readonly_fields = ("certificate", "fiscal_year", "created_at", "expires_on", "used_at", "revoked_at")


@admin.register(ProfileLink)
class ProfileLinkAdmin(LinkAdmin):
    list_display = ("certificate", "created_at", "expires_on", "used_at", "revoked_at")
    readonly_fields = ("certificate", "created_at", "expires_on", "used_at", "revoked_at")


@admin.register(Notice)
class NoticeAdmin(SimpleHistoryAdmin):
    list_display = ("certificate", "fiscal_year", "kind", "sent_on")
    list_filter = ("kind", "fiscal_year")
    list_select_related = ("certificate",)
    readonly_fields = ("certificate", "fiscal_year", "kind", "sent_on")

    def has_add_permission(self, request):
        return False
