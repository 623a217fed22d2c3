import datetime as dt

from django.conf import settings
from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from inspections import services
from inspections.availability import MAX_RANGE_DAYS, add_months, availability, months_calendar, today
from inspections.cache import cached_public_page, data_version
from inspections.forms import RequestForm
from inspections.ical import confirmed_visits_ical
from inspections.models import Programme, Request
from kiyose.exports import csv_response
from kiyose.forms import ConfirmFlowView
from kiyose.wareki import fiscal_year, fiscal_year_label

CALENDAR_MONTHS = 3
SESSION_KEY = "inspections_done_reference"
FIELDS_FRAGMENT = "inspections_request_fields"


def _month_param(value: str | None) -> dt.date | None:
    try:
        first = dt.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        return None
    return first if 2000 <= first.year <= 2999 else None


@require_safe
@cached_public_page(params=("month",))
def index(request):
    this_month = today().replace(day=1)
    first = _month_param(request.GET.get("month")) or this_month
    # The calendar looks forward: earlier months would show nothing but past days.
    first = max(first, this_month)
    context = {
        "programmes": list(Programme.objects.published()),
        "months": months_calendar(first, CALENDAR_MONTHS),
        "next_month": add_months(first, CALENDAR_MONTHS),
        "prev_month": add_months(first, -CALENDAR_MONTHS) if first > this_month else None,
        "lead_days": settings.INSPECTIONS_LEAD_DAYS,
    }
    return render(request, "inspections/index.html", context)


def _json_error(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400, json_dumps_params={"ensure_ascii": False})


def _date_param(request, name: str) -> dt.date | None:
    raw = request.GET.get(name, "")
    try:
        day = dt.date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None
    return day if day and 2000 <= day.year <= 2999 else None


@require_safe
@cached_public_page(params=("start", "end"))
def availability_json(request):
    start, end = _date_param(request, "start"), _date_param(request, "end")
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
    form_class = RequestForm
    done_url = reverse_lazy("inspections:done")
    session_key = SESSION_KEY
    ratelimit_group = "inspections.request"

    @property
    def ratelimit_rate(self):
        return settings.INSPECTIONS_RATE_LIMIT

    def _fields_cache_key(self) -> str:
        day = _date_param(self.request, "date")
        return f"{data_version()}|{timezone.localdate()}|{day or ''}"

    def get(self, request, *args, **kwargs):
        if request.GET.get("step"):
            return super().get(request, *args, **kwargs)
        key = self._fields_cache_key()
        if caches["fragments"].get(make_template_fragment_key(FIELDS_FRAGMENT, [key])) is not None:
            # The empty form is already rendered in the cache: building the form again would be wasted work.
            return self.render_to_response(self.get_context_data(form=None, fields_cache_key=key))
        return self.render_to_response(self.get_context_data(fields_cache_key=key))

    def get_context_data(self, **kwargs):
        return super().get_context_data(lead_days=settings.INSPECTIONS_LEAD_DAYS, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        day = _date_param(self.request, "date")
        if day:
            initial["preferred_date_1"] = day
        return initial

    def form_confirmed(self, form, token):
        return services.request_submit(
            data=form.service_data(), topics=list(form.cleaned_data["topics"]), token=token
        )

    def done_reference(self, obj):
        return obj.reference


@require_safe
def done(request):
    reference = request.session.get(SESSION_KEY)
    if not reference:
        return redirect("inspections:request")
    return render(request, "inspections/request_done.html", {"reference": reference})


def _records():
    # Grouped by the fiscal year of the visit, newest year first, visits in date order within a year.
    completed = Request.objects.completed().prefetch_related("topics").order_by("confirmed_date", "pk")
    years: dict[int, list[Request]] = {}
    for obj in completed:
        years.setdefault(fiscal_year(obj.confirmed_date), []).append(obj)
    return dict(sorted(years.items(), reverse=True))


@require_safe
@cached_public_page
def records(request):
    years = [
        {"year": year, "label": fiscal_year_label(year), "visits": visits}
        for year, visits in _records().items()
    ]
    return render(request, "inspections/records.html", {"years": years})


@require_safe
@cached_public_page
def records_csv(request):
    header = [_("年度"), _("視察日"), _("自治体名・議会名"), _("委員会名／会派名"), _("人数"), _("視察項目")]
    rows = [
        [
            fiscal_year_label(year, western=False),
            obj.confirmed_date.isoformat(),
            obj.council,
            obj.committee,
            obj.visitors,
            "／".join(obj.topic_labels()),
        ]
        for year, visits in _records().items()
        for obj in visits
    ]
    return csv_response(_("行政視察受け入れ実績.csv"), header, rows)


@require_safe
def ical_feed(request, token: str):
    secret = settings.INSPECTIONS_ICAL_TOKEN
    if not secret or not constant_time_compare(token, secret):
        raise Http404
    response = HttpResponse(confirmed_visits_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
