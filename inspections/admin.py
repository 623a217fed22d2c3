import datetime as dt

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from simple_history.admin import SimpleHistoryAdmin

from inspections.documents import document_number, letters_filename, letters_pdf
from inspections.forms import AdminModelForm, DocumentsForm, ProgrammeAdminForm, RequestAdminForm
from inspections.models import (
    BlockedDate,
    CouncilSession,
    DocumentUpload,
    Enquiry,
    Letter,
    LetterKind,
    Programme,
    Request,
    Status,
)

# The letter views below call `services.letters_issue` (kept as they were; the documents work owns them).
from inspections.services import requests as services
from inspections.services.availability import add_months, availability, month_weeks
from inspections.services.requests import (
    LETTER_STATUSES,
    REQUEST_FLOW,
    request_documents_record,
    request_transition,
)
from inspections.views import document_response
from kiyose.adminkit import MailInline, TransitionAdminMixin
from kiyose.enquiries import EnquiryAdmin
from kiyose.params import parse_month, parse_year
from kiyose.pdf import pdf_response
from kiyose.roles import Role, RoleRequiredMixin
from kiyose.wareki import fiscal_year_label, wareki
from kiyose.workflow import TransitionError, errors_to_form
from sdgs.goals import goal_label

ROLE = Role.COUNCIL

admin.site.register(Enquiry, EnquiryAdmin)


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    form = ProgrammeAdminForm
    list_display = ["title", "department", "goals", "order", "is_published"]
    list_editable = ["order", "is_published"]
    search_fields = ["title", "body", "department"]
    prepopulated_fields = {"slug": ["title"]}

    @admin.display(description=_("関連するSDGs"))
    def goals(self, obj):
        return "、".join(goal_label(g) for g in obj.sdg_goals)


@admin.register(CouncilSession)
class CouncilSessionAdmin(SimpleHistoryAdmin):
    form = AdminModelForm
    list_display = ["name", "opens_on", "closes_on", "blocked_from"]
    date_hierarchy = "opens_on"
    search_fields = ["name"]

    @admin.display(description=_("受け入れ不可の開始日"))
    def blocked_from(self, obj):
        return obj.opens_on - dt.timedelta(days=7)


@admin.register(BlockedDate)
class BlockedDateAdmin(SimpleHistoryAdmin):
    form = AdminModelForm
    list_display = ["starts_on", "ends_on", "reason"]
    date_hierarchy = "starts_on"
    search_fields = ["reason"]


@admin.register(Letter)
class LetterAdmin(SimpleHistoryAdmin):
    """Issued letters, for looking up a document number; letters are made from the requests' screens."""

    list_display = ["number", "kind", "request", "issued_on"]
    list_filter = ["kind", "fiscal_year"]
    search_fields = ["request__reference", "request__council"]
    list_select_related = ["request"]
    readonly_fields = ["request", "kind", "fiscal_year", "serial", "issued_on"]

    @admin.display(description=_("文書番号"), ordering="serial")
    def number(self, obj):
        return document_number(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FiscalYearFilter(admin.SimpleListFilter):
    title = _("年度")
    parameter_name = "fy"

    def lookups(self, request, model_admin):
        years = Request.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()
        return [(str(y), fiscal_year_label(y)) for y in years]

    def queryset(self, request, queryset):
        year = parse_year(self.value())
        return queryset.in_fiscal_year(year) if year is not None else queryset


class DocumentUploadInline(admin.TabularInline):
    """What the visiting council uploaded, every version, each a download."""

    model = DocumentUpload
    fields = ["kind", "version", "download", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["kind", "-version"]

    @admin.display(description=_("ファイル"))
    def download(self, obj):
        url = reverse("admin:inspections_request_document", args=[obj.request_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Request)
class RequestAdmin(TransitionAdminMixin, SimpleHistoryAdmin):
    workflow = REQUEST_FLOW
    change_form_template = "inspections/admin/request_change_form.html"
    change_list_template = "inspections/admin/request_change_list.html"
    transition_template = "inspections/admin/transition.html"
    form = RequestAdminForm
    inlines = [DocumentUploadInline, MailInline]
    list_display = [
        "reference",
        "status",
        "council",
        "committee",
        "preferred",
        "topic_list",
        "department",
        "confirmed_date",
        "created_at",
    ]
    list_display_links = ["reference", "council"]
    list_filter = ["status", FiscalYearFilter, "topics"]
    search_fields = ["reference", "council", "committee", "contact_name", "email", "department"]
    date_hierarchy = "created_at"
    filter_horizontal = ["topics"]
    actions = ["print_acknowledgements", "print_acceptances", "print_declines"]
    # The office's side is entered through the transition pages and the checklist page, never typed here.
    readonly_fields = [
        "reference",
        "status",
        "fiscal_year",
        "created_at",
        "updated_at",
        "department",
        "confirmed_date",
        "confirmed_start",
        "confirmed_end",
        "place",
        "decline_reason",
        "withdraw_reason",
        "closed_on",
        "doc_letter_received_on",
        "doc_participants_received_on",
        "doc_questions_received_on",
        "doc_itinerary_received_on",
        "reminded_on",
    ]
    fieldsets = [
        (_("受付"), {"fields": ["reference", "status", "fiscal_year", "created_at", "updated_at"]}),
        (
            _("申込者"),
            {"fields": ["council", "committee", "contact_name", "contact_department", "phone", "email", "address"]},
        ),
        (
            _("希望日"),
            {
                "fields": [
                    ("preferred_date_1", "preferred_period_1"),
                    ("preferred_date_2", "preferred_period_2"),
                    ("preferred_date_3", "preferred_period_3"),
                ]
            },
        ),
        (
            _("視察の内容"),
            {
                "fields": [
                    "councillors",
                    "staff",
                    "topics",
                    "topics_other",
                    "purpose",
                    "questions",
                    "transport",
                    "vehicles",
                    "notes",
                ]
            },
        ),
        (
            _("調整・決定（状態の変更ボタンから入力します）"),
            {
                "fields": [
                    "department",
                    "confirmed_date",
                    "confirmed_start",
                    "confirmed_end",
                    "place",
                    "decline_reason",
                    "withdraw_reason",
                    "closed_on",
                ]
            },
        ),
        (
            _("提出書類（チェックリスト）"),
            {
                "fields": [
                    "doc_letter_received_on",
                    "doc_participants_received_on",
                    "doc_questions_received_on",
                    "doc_itinerary_received_on",
                    "reminded_on",
                ]
            },
        ),
        (_("事務局メモ"), {"fields": ["staff_note"]}),
    ]

    def transition_service(self, *, obj, to, by, data):
        return request_transition(obj=obj, to=to, by=by, data=data)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(Prefetch("topics", Programme.objects.only("title")))

    def has_add_permission(self, request):
        # Requests come from the public form, which numbers them and mails the requester.
        return False

    @admin.display(description=_("希望日"))
    def preferred(self, obj):
        return " / ".join(f"{day:%Y-%m-%d} {period}" for _rank, day, period in obj.preferences())

    @admin.display(description=_("視察項目"))
    def topic_list(self, obj):
        return "、".join(obj.topic_labels())

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("calendar/", wrap(MonthView.as_view(model_admin=self)), name="inspections_request_calendar"),
            path(
                "<int:object_id>/letter/<str:kind>/",
                wrap(self.letter_view),
                name="inspections_request_letter",
            ),
            path(
                "<id:object_id>/documents/",
                wrap(self.documents_view),
                name="inspections_request_documents",
            ),
            path(
                "<id:object_id>/documents/<id:upload_id>/",
                wrap(self.document_view),
                name="inspections_request_document",
            ),
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if obj is not None:
            extra["letter_kinds"] = [(k, LetterKind(k).label) for k in LetterKind if obj.status in LETTER_STATUSES[k]]
            extra["documents"] = obj.documents()
        return super().change_view(request, object_id, form_url, extra)

    def transition_context(self, request, obj, transition):
        if transition.target == Status.ACCEPTED:
            return {"day_info": _day_info(obj)}
        return {}

    def transition_initial(self, obj, transition):
        # The transition forms take their initial values from the request themselves.
        return {}

    def documents_view(self, request, object_id):
        """The checklist without a change of status (documents arriving by post or by hand)."""
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        change_url = reverse("admin:inspections_request_change", args=[obj.pk])
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = DocumentsForm(request.POST or None, obj=obj)
        if request.method == "POST" and form.is_valid():
            try:
                request_documents_record(obj=obj, data=request.POST, by=request.user)
            except TransitionError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, gettext("書類の受領日を記録しました。"))
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(ref)s：書類の受領日を記録する") % {"ref": obj.reference},
            "obj": obj,
            "form": form,
            "opts": self.opts,
            "change_url": change_url,
        }
        return TemplateResponse(request, "inspections/admin/documents.html", context)

    def document_view(self, request, object_id, upload_id):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return document_response(get_object_or_404(obj.uploads.all(), pk=upload_id))

    def letter_view(self, request, object_id, kind):
        """GET serves a letter already issued; taking a document number is a change, so only POST issues."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        obj = get_object_or_404(Request, pk=object_id)
        if kind not in LetterKind.values:
            raise Http404
        if request.method == "POST":
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            return self._letters(request, Request.objects.filter(pk=obj.pk), kind, reprint_url=request.path)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        letter = Letter.objects.filter(request=obj, kind=kind).first()
        if letter is not None:
            return pdf_response(letters_pdf([letter]), letters_filename([letter]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(ref)s：%(kind)sを発行する") % {"ref": obj.reference, "kind": LetterKind(kind).label},
            "opts": self.opts,
            "obj": obj,
            "document_label": LetterKind(kind).label,
            "back_url": reverse("admin:inspections_request_change", args=[obj.pk]),
            "can_issue": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/document_issue.html", context)

    def _letters(self, request, queryset, kind, *, reprint_url=None):
        if kind not in LetterKind.values:
            messages.error(request, gettext("文書の種類が正しくありません。"))
            return redirect("admin:inspections_request_changelist")
        ids = list(queryset.values_list("pk", flat=True))
        try:
            letters = services.letters_issue(request_ids=ids, kind=kind)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            if len(ids) == 1:
                return redirect("admin:inspections_request_change", ids[0])
            return redirect("admin:inspections_request_changelist")
        if reprint_url:
            # Post/redirect/get: the browser's reload then re-reads the issued letter instead of re-posting.
            return redirect(reprint_url)
        return pdf_response(letters_pdf(letters), letters_filename(letters))

    @admin.action(description=_("受付確認書をPDFで作成する（選択した申込みを1つのPDFに）"), permissions=["change"])
    def print_acknowledgements(self, request, queryset):
        return self._letters(request, queryset, LetterKind.ACKNOWLEDGEMENT)

    @admin.action(description=_("受入決定通知をPDFで作成する（選択した申込みを1つのPDFに）"), permissions=["change"])
    def print_acceptances(self, request, queryset):
        return self._letters(request, queryset, LetterKind.ACCEPTANCE)

    @admin.action(description=_("お断り通知をPDFで作成する（選択した申込みを1つのPDFに）"), permissions=["change"])
    def print_declines(self, request, queryset):
        return self._letters(request, queryset, LetterKind.DECLINE)


def _day_info(obj: Request) -> list[tuple[str, str]]:
    """The availability of the preferred dates, so staff see at a glance which can be accepted."""
    rows = []
    for rank, day, period in obj.preferences():
        status = availability(day, day)[day]
        rows.append(
            (
                gettext("第%(rank)d希望 %(date)s %(period)s") % {"rank": rank, "date": wareki(day), "period": period},
                f"{status.status_label}" + (f"：{status.reason_text}" if status.reasons else ""),
            )
        )
    return rows


class MonthView(RoleRequiredMixin, TemplateView):
    """Staff month view: visits, sessions and blocked dates of one month on one page."""

    role = ROLE
    template_name = "inspections/admin/month.html"
    model_admin = None

    def get_context_data(self, **kwargs):
        this_month = timezone.localdate().replace(day=1)
        first = parse_month(self.request.GET.get("month")) or this_month
        last = add_months(first, 1) - dt.timedelta(days=1)
        days = availability(first, last)
        visits: dict[dt.date, list[Request]] = {}
        for obj in Request.objects.visits_between(first, last).order_by("confirmed_start"):
            visits.setdefault(obj.confirmed_date, []).append(obj)
        weeks = [
            [(day, visits.get(day.date, [])) if day else None for day in week] for week in month_weeks(first, days)
        ]
        return {
            **self.model_admin.admin_site.each_context(self.request),
            **super().get_context_data(**kwargs),
            "title": gettext("行政視察 月表示：%(y)d年%(m)d月") % {"y": first.year, "m": first.month},
            "opts": Request._meta,
            "weeks": weeks,
            "first": first,
            "prev_month": add_months(first, -1),
            "next_month": add_months(first, 1),
            "sessions": list(CouncilSession.objects.overlapping(first - dt.timedelta(days=7), last)),
            "blocked": list(BlockedDate.objects.overlapping(first, last)),
            "awaiting": Request.objects.awaiting_answer().count(),
        }
