import datetime as dt
import functools
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from icalendar import Calendar, Event

from inspections.cache import page_cache
from inspections.forms import RequestForm, UploadForm, WithdrawForm
from inspections.models import DocumentKind, Programme, Request, Status
from inspections.services.availability import MAX_RANGE_DAYS, add_months, availability, months_calendar, today
from inspections.services.requests import office, request_submit, request_transition
from inspections.services.uploads import document_upload, size_text
from kiyose.exports import csv_response
from kiyose.forms import ConfirmFlowView
from kiyose.models import TransitionRecord
from kiyose.params import parse_date, parse_month, parse_year
from kiyose.pdf import pdf_response
from kiyose.tokens import TokenGone, gone_response, secret_page_headers, token_lookup
from kiyose.views import ratelimited
from kiyose.wareki import fiscal_year_label, wareki
from kiyose.workflow import VISITOR, TransitionError, errors_to_form

CALENDAR_MONTHS = 3
TOKYO = ZoneInfo("Asia/Tokyo")


@require_safe
def index(request):
    this_month = today().replace(day=1)
    first = parse_month(request.GET.get("month")) or this_month
    # The calendar looks forward: earlier months would show nothing but past days.
    first = max(first, this_month)
    # The page changes only with the data (programmes, sessions, blocked dates, visits, the office's phone) and
    # the date: built once per data version, day and month (the app's page cache), for visitors who hold a
    # session and for staff too.
    return render(
        request,
        "inspections/index.html",
        {
            "body": page_cache.fragment("index", first.isoformat(), build=lambda: _index_body(first)),
        },
    )


def _index_body(first: dt.date) -> str:
    this_month = today().replace(day=1)
    return render_to_string(
        "inspections/_index_body.html",
        {
            "programmes": list(Programme.objects.published()),
            "office": office(),
            "lead_days": settings.INSPECTIONS_LEAD_DAYS,
            "months": months_calendar(first, CALENDAR_MONTHS),
            "next_month": add_months(first, CALENDAR_MONTHS),
            "prev_month": add_months(first, -CALENDAR_MONTHS) if first > this_month else None,
            "request_url": reverse("inspections:request"),
        },
    )


def _json_error(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400, json_dumps_params={"ensure_ascii": False})


@require_safe
def availability_json(request):
    start, end = parse_date(request.GET.get("start")), parse_date(request.GET.get("end"))
    if "start" not in request.GET and "end" not in request.GET:
        # The feed's own address (as the sitemap lists it) answers too: the three months the calendar shows.
        start = today()
        end = add_months(start.replace(day=1), 3) - dt.timedelta(days=1)
    if start is None or end is None:
        return _json_error(_("start と end を YYYY-MM-DD 形式（2000〜2999年）で指定してください。"))
    if end < start:
        return _json_error(_("end は start 以降の日付を指定してください。"))
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        return _json_error(_("一度に取得できるのは%(n)d日分までです。") % {"n": MAX_RANGE_DAYS})
    days = availability(start, end, public=True)
    response = JsonResponse(
        {"dates": [day.as_json() for day in days.values()]}, json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


class RequestView(ConfirmFlowView):
    template_name = "inspections/request_form.html"
    confirm_template_name = "inspections/request_confirm.html"
    done_template_name = "inspections/request_done.html"
    form_class = RequestForm
    form_url = reverse_lazy("inspections:request")
    done_url = reverse_lazy("inspections:done")
    session_key = "inspections_done_reference"
    ratelimit_group = "inspections.request"
    fields_template_name = "inspections/_request_fields.html"
    page_cache = page_cache

    @property
    def ratelimit_rate(self):
        return settings.INSPECTIONS_RATE_LIMIT

    def fields_parts(self):
        # A date chosen on the calendar presets the first wish: one kept piece per date.
        return (parse_date(self.request.GET.get("date")) or "",)

    def fields_context(self):
        return {"lead_days": settings.INSPECTIONS_LEAD_DAYS}

    def get_initial(self):
        initial = super().get_initial()
        day = parse_date(self.request.GET.get("date"))
        if day:
            initial["preferred_date_1"] = day
        return initial

    def form_confirmed(self, form, token):
        return request_submit(data=form.service_data(), topics=list(form.cleaned_data["topics"]), token=token)

    def done_reference(self, obj):
        return obj.reference


@require_safe
def records(request):
    """The record of past visits, one fiscal year per page (newest first) with every year listed, whatever the
    number of visits. The record changes only with the data: each year's part is built once per data version
    (the app's page cache) in a fixed number of queries."""
    year = parse_year(request.GET.get("year"))
    return render(
        request,
        "inspections/records.html",
        {
            "record": page_cache.fragment("records", year or "", build=lambda: _records_html(year)),
        },
    )


def _records_html(year: int | None) -> str:
    years = Request.objects.record_years()
    if year not in {y for y, _n in years}:
        year = years[0][0] if years else None
    visits = (
        list(
            Request.objects.visits_in_fiscal_year(year).values_list(
                "pk", "confirmed_date", "council", "committee", "councillors", "staff", "topics_other"
            )
        )
        if year is not None
        else []
    )
    titles: dict[int, list[str]] = {}
    through = Request.topics.through.objects.filter(request_id__in=[v[0] for v in visits])
    for request_id, title in through.order_by("programme__order", "programme__pk").values_list(
        "request_id", "programme__title"
    ):
        titles.setdefault(request_id, []).append(title)
    rows = [
        {
            "date": wareki(day),
            "council": council,
            "committee": committee,
            "visitors": _("%(n)d名") % {"n": councillors + staff},
            "topics": "、".join(titles.get(pk, []) + ([other.strip()] if other.strip() else [])),
        }
        for pk, day, council, committee, councillors, staff, other in visits
    ]
    return render_to_string(
        "inspections/_records.html",
        {
            "years": [{"year": y, "label": fiscal_year_label(y), "count": n} for y, n in years],
            "shown": year,
            "label": fiscal_year_label(year) if year is not None else "",
            "rows": rows,
        },
    )


def _topics() -> Prefetch:
    return Prefetch("topics", Programme.objects.only("title"))


@require_safe
def records_csv(request):
    return page_cache.download("records", build=_records_csv)


def _records_csv():
    header = [_("年度"), _("視察日"), _("自治体名・議会名"), _("委員会名／会派名"), _("人数"), _("視察項目")]
    visits = Request.objects.completed().filter(confirmed_date__isnull=False).order_by("-confirmed_date", "pk")
    rows = (
        [
            fiscal_year_label(obj.visit_fiscal_year, western=False),
            obj.confirmed_date.isoformat(),
            obj.council,
            obj.committee,
            obj.visitors,
            "／".join(obj.topic_labels()),
        ]
        for obj in visits.prefetch_related(_topics())
    )
    return csv_response(_("行政視察受け入れ実績.csv"), header, rows)


@require_safe
def ical_feed(request, token: str):
    secret = settings.INSPECTIONS_ICAL_TOKEN
    if not secret or not constant_time_compare(token, secret):
        raise Http404
    response = HttpResponse(_confirmed_visits_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def _confirmed_visits_ical(*, since_days: int = 400, default_hours: int = 2) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Kiyose City Council//Inspections//JA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("行政視察（受入決定）"))
    cal.add("x-wr-timezone", "Asia/Tokyo")
    since = timezone.localdate() - dt.timedelta(days=since_days)
    visits = (
        Request.objects.confirmed()
        .filter(confirmed_date__gte=since)
        .prefetch_related(_topics())
        .order_by("confirmed_date", "confirmed_start")
    )
    host = settings.PORTAL_BASE_URL.split("://")[-1].split("/")[0] or "kiyose.invalid"
    stamp = timezone.now()
    for obj in visits:
        event = Event()
        event.add("uid", f"inspection-{obj.pk}@{host}")
        event.add("dtstamp", stamp)
        if obj.confirmed_start:
            start = dt.datetime.combine(obj.confirmed_date, obj.confirmed_start, tzinfo=TOKYO)
            end = (
                dt.datetime.combine(obj.confirmed_date, obj.confirmed_end, tzinfo=TOKYO)
                if obj.confirmed_end
                else start + dt.timedelta(hours=default_hours)
            )
            event.add("dtstart", start)
            event.add("dtend", end)
        else:
            event.add("dtstart", obj.confirmed_date)
        event.add(
            "summary",
            _("行政視察：%(council)s %(committee)s（%(n)d名）")
            % {"council": obj.council, "committee": obj.committee, "n": obj.visitors},
        )
        if obj.place:
            event.add("location", obj.place)
        event.add(
            "description",
            "\n".join(
                [
                    _("受付番号：%(ref)s") % {"ref": obj.reference},
                    _("状態：%(status)s") % {"status": obj.get_status_display()},
                    _("所管部署：%(dept)s") % {"dept": obj.department or "—"},
                    _("視察項目：%(topics)s") % {"topics": "、".join(obj.topic_labels())},
                ]
            ),
        )
        cal.add_component(event)
    return cal.to_ical()


# --- The status page: the visiting council's own view of its request, through the secret link -------------
def token_page(view):
    """A page behind the status link: rate-limited per client (every method), 404 for a link that never
    existed, 410 with an explanation for one that has expired; never cached, never indexed."""

    @functools.wraps(view)
    def wrapper(request, token, **kwargs):
        if is_ratelimited(
            request,
            group="inspections.status",
            key="ip",
            rate=settings.INSPECTIONS_STATUS_RATE_LIMIT,
            method=ALL,
            increment=True,
        ):
            return ratelimited(request)
        obj = token_lookup(Request.objects.all(), token, field="status_token_hash")
        expires_on = obj.status_link_expires_on()
        if expires_on is not None and timezone.localdate() > expires_on:
            response = gone_response(
                request,
                TokenGone(
                    "expired",
                    message=_("このページの公開期間（%(date)sまで）は終了しました。") % {"date": wareki(expires_on)},
                ),
                template="inspections/status_gone.html",
                context={"obj": obj, "expired_on": expires_on, "days": settings.INSPECTIONS_STATUS_DAYS_AFTER_VISIT},
            )
        else:
            response = view(request, obj, token=token, **kwargs)
        return secret_page_headers(response)

    return wrapper


def _status_context(obj: Request, token: str, **forms) -> dict:
    # The read-only parts change only when the request, its letters or its documents do, which renews the app's
    # data version: kept rendered per request (and link) until then. The forms are the visitor's own.
    key = (obj.pk, token, obj.updated_at.isoformat())
    return {
        "obj": obj,
        "token": token,
        "summary": page_cache.fragment(
            "status",
            *key,
            build=lambda: render_to_string("inspections/_status_summary.html", _status_summary(obj, token)),
        ),
        "filed": page_cache.fragment(
            "status-filed",
            *key,
            build=lambda: render_to_string(
                "inspections/_status_filed.html", {"obj": obj, "topics": obj.topic_labels()}
            ),
        ),
        "upload_form": forms.get("upload_form") or (UploadForm() if obj.takes_documents else None),
        "withdraw_form": forms.get("withdraw_form") or (WithdrawForm(obj=obj) if obj.is_open else None),
        "upload_max": size_text(settings.INSPECTIONS_UPLOAD_MAX_BYTES),
    }


def _status_summary(obj: Request, token: str) -> dict:
    records = TransitionRecord.objects.of(obj)
    steps = [(Status.RECEIVED.label, timezone.localdate(obj.created_at))] + [
        (r.target_label, timezone.localdate(r.at)) for r in records
    ]
    # Documents are sent once a visit is accepted: before that there is nothing to read.
    uploads = list(obj.uploads.all()) if obj.confirmed_date else []
    documents = [
        {
            "kind": kind,
            "label": kind.label,
            "received_on": getattr(obj, kind.received_field),
            "versions": [u for u in uploads if u.kind == kind],
        }
        for kind in DocumentKind
    ]
    return {
        "obj": obj,
        "token": token,
        "steps": steps,
        "letters": list(obj.letters.order_by("issued_on", "pk")),
        "documents": documents,
        "missing": obj.documents_missing() if obj.takes_documents else [],
        "expires_on": obj.status_link_expires_on(),
    }


@require_safe
@token_page
def status(request, obj, *, token):
    return render(request, "inspections/status.html", _status_context(obj, token))


@require_POST
@token_page
def status_upload(request, obj, *, token):
    form = UploadForm(request.POST, request.FILES)
    if not obj.takes_documents:
        messages.error(request, _("書類は、受入決定から視察日までの間に提出できます。"))
    elif form.is_valid():
        try:
            document = document_upload(obj=obj, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
        except ValidationError as exc:
            errors_to_form(form, ValidationError({"file": exc.messages}) if not hasattr(exc, "error_dict") else exc)
        else:
            messages.success(
                request,
                _("「%(kind)s」を受け付けました（第%(version)d版）。")
                % {"kind": document.get_kind_display(), "version": document.version},
            )
            return redirect("inspections:status", token=token)
    return render(request, "inspections/status.html", _status_context(obj, token, upload_form=form), status=400)


@require_POST
@token_page
def status_withdraw(request, obj, *, token):
    form = WithdrawForm(request.POST, obj=obj)
    if form.is_valid():
        try:
            request_transition(obj=obj, to=Status.WITHDRAWN, data=form.cleaned_data, actor=VISITOR)
        except TransitionError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("お申込みを取り下げました。"))
            return redirect("inspections:status", token=token)
    return render(request, "inspections/status.html", _status_context(obj, token, withdraw_form=form), status=400)


@require_safe
@token_page
def status_letter(request, obj, *, token, letter_id):
    """A letter already issued to this council; the page never numbers a new one."""
    from inspections.documents import letters_filename, letters_pdf

    letter = get_object_or_404(obj.letters.all(), pk=letter_id)
    return pdf_response(letters_pdf([letter]), letters_filename([letter]), inline=False)


@require_safe
@token_page
def status_document(request, obj, *, token, upload_id):
    document = get_object_or_404(obj.uploads.all(), pk=upload_id)
    return document_response(document)


def document_response(document) -> FileResponse:
    """An uploaded document as a download (never shown inline), under its checked name (RFC 6266)."""
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
