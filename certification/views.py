import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from certification import services
from certification.cache import page_cache
from certification.forms import ApplicationForm, ProfileForm, ReportForm
from certification.models import Certificate, Kind
from certification.services.profiles import profile_link_resolve, profile_update_submit
from certification.services.reports import GONE_MESSAGES
from kiyose.exports import csv_response
from kiyose.forms import ConfirmFlowView, fields_html
from kiyose.params import parse_choice, parse_int
from kiyose.tokens import TokenGone, gone_response, secret_page_headers
from kiyose.views import ratelimited
from kiyose.wareki import fiscal_year, fiscal_year_label, wareki
from sdgs.goals import GOALS, goal_choices

FIELDS = "certification/_form_fields.html"


def _filters(request) -> tuple[str, int | None, bool]:
    """The registry's filters from the query string: (kind, goal, whether something invalid was asked for)."""
    raw_kind, raw_goal = request.GET.get("kind", ""), request.GET.get("goal", "")
    kind = parse_choice(raw_kind, Kind.values)
    goal = parse_int(raw_goal, minimum=1, maximum=len(GOALS))
    return kind, goal, bool(raw_kind and not kind) or bool(raw_goal and goal is None)


@require_safe
def index(request):
    kind, goal, invalid = _filters(request)
    # The registry changes only with the data (and the fiscal year): built once per data version, day and filter
    # (the app's page cache), for visitors who hold a session and for staff too.
    body = page_cache.fragment("index", kind, goal or "", invalid, build=lambda: _index_body(kind, goal, invalid))
    return render(request, "certification/index.html", {"body": body})


def _index_body(kind: str, goal: int | None, invalid: bool) -> str:
    cap = settings.CERTIFICATION_CAP
    holders = list(
        Certificate.objects.registry(kind=kind, goal=goal).only(
            "serial", "number", "holder_name", "kind", "goals", "summary", "valid_until", "status"
        )
    )
    in_force = len(holders) if not (kind or goal) else Certificate.objects.in_force().count()
    return render_to_string(
        "certification/_index_body.html",
        {
            "holders": holders,
            "kind": kind,
            "goal": goal or "",
            "kind_choices": Kind.choices,
            "goal_choices": goal_choices(),
            "invalid_filter": invalid,
            "filtered": bool(kind or goal),
            "cap": cap,
            "places_left": max(0, cap - in_force),
            "this_year": fiscal_year(timezone.localdate()),
            "grace_days": settings.CERTIFICATION_REPORT_GRACE_DAYS,
            "valid_years": settings.CERTIFICATION_VALID_FISCAL_YEARS,
        },
    )


@require_safe
def holder(request, serial: int):
    page = page_cache.fragment("holder", serial, build=lambda: _holder_page(serial))
    if page is None:
        raise Http404
    title, body = page
    return render(request, "certification/holder.html", {"title": title, "body": body})


def _holder_page(serial: int) -> tuple[str, str] | None:
    """(title, body) of a holder's page, kept rendered until the data changes; None when there is no holder."""
    certificate = Certificate.objects.filter(serial=serial).first()
    if certificate is None:
        return None
    # Reports reach the public page only once staff have read and published them.
    report = certificate.reports.published().order_by("-fiscal_year").first() if certificate.in_force else None
    body = render_to_string("certification/_holder_body.html", {"certificate": certificate, "report": report})
    return f"{certificate.holder_name}（{certificate.number}）", body


@require_safe
def holder_by_number(request, number: str):
    serial = Certificate.objects.filter(number=number.strip()).values_list("serial", flat=True).first()
    if serial is None:
        raise Http404
    return redirect("certification:holder", serial=serial, permanent=True)


@require_safe
def registry_csv(request):
    kind, goal, _invalid = _filters(request)
    return page_cache.download("registry", kind, goal or "", build=lambda: _registry_csv(kind, goal))


def _registry_csv(kind, goal):
    holders = Certificate.objects.registry(kind=kind, goal=goal)
    header = [_("認定番号"), _("団体名"), _("団体の種類"), _("有効期限"), _("SDGsの目標"), _("取組の概要")]
    rows = (
        [
            c.number,
            c.holder_name,
            c.get_kind_display(),
            f"{wareki(c.valid_until)}（{c.valid_until.isoformat()}）",
            "、".join(str(g) for g in c.goals),
            c.summary,
        ]
        for c in holders
    )
    return csv_response(_("清瀬市SDGs認定団体一覧.csv"), header, rows)


class ApplyView(ConfirmFlowView):
    template_name = "certification/apply.html"
    confirm_template_name = "certification/apply_confirm.html"
    done_template_name = "certification/apply_done.html"
    form_class = ApplicationForm
    form_url = reverse_lazy("certification:apply")
    done_url = reverse_lazy("certification:apply_done")
    session_key = "certification_application"
    ratelimit_group = "certification_apply"
    fields_template_name = "certification/_apply_fields.html"
    page_cache = page_cache

    @property
    def ratelimit_rate(self):
        return settings.CERTIFICATION_RATE_LIMIT

    def form_confirmed(self, form, token):
        return services.application_submit(data=form.cleaned_data, answers=form.answers(), token=token)

    def done_reference(self, obj):
        return obj.reference


def token_page(view):
    """A page behind a holder's secret link: rate-limited per client (every method), 404 for a link that never
    existed, 410 with an explanation for one used, replaced or expired; never cached, never indexed."""

    @functools.wraps(view)
    def wrapper(request, token, **kwargs):
        if is_ratelimited(
            request,
            group="certification.link",
            key="ip",
            rate=settings.CERTIFICATION_LINK_RATE_LIMIT,
            method=ALL,
            increment=True,
        ):
            return ratelimited(request)
        try:
            response = view(request, token, **kwargs)
        except TokenGone as gone:
            response = gone_response(request, gone, template="certification/token_gone.html")
        return secret_page_headers(response)

    return wrapper


@require_http_methods(["GET", "HEAD", "POST"])
@token_page
def report(request, token: str):
    invitation = services.invitation_resolve(token=token)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.report_submit(token=token, data=form.cleaned_data)
        except ValidationError:
            # The year's report already exists (filed by another route meanwhile).
            raise TokenGone("used", message=str(GONE_MESSAGES["used"])) from None
        request.session["certification_report"] = fiscal_year_label(saved.fiscal_year)
        return redirect("certification:report_done")
    # The empty form is the same for every holder: kept rendered (the app's page cache) until the data changes.
    fields = "" if form.is_bound else fields_html(cache=page_cache, name="report", template=FIELDS, form=form)
    return render(
        request,
        "certification/report.html",
        {
            "fields_html": fields,
            "form": form,
            "certificate": invitation.certificate,
            "year": invitation.fiscal_year,
            "deadline": services.report_deadline(invitation.fiscal_year),
        },
    )


@require_safe
def report_done(request):
    year = request.session.get("certification_report")
    if not year:
        return redirect("certification:index")
    return render(request, "certification/report_done.html", {"year_label": year})


@require_http_methods(["GET", "HEAD", "POST"])
@token_page
def profile(request, token: str):
    """The holder proposes a new public profile (summary, web site); staff review it before it is shown."""
    link = profile_link_resolve(token=token)
    certificate = link.certificate
    form = ProfileForm(request.POST or None, initial={"summary": certificate.summary, "url": certificate.url})
    if request.method == "POST" and form.is_valid():
        profile_update_submit(token=token, data=form.cleaned_data)
        request.session["certification_profile"] = certificate.number
        return redirect("certification:profile_done")
    # The form filled with the published profile changes only when the data does: kept rendered per holder.
    fields = (
        ""
        if form.is_bound
        else fields_html(cache=page_cache, name="profile", template=FIELDS, form=form, parts=(certificate.pk,))
    )
    return render(
        request,
        "certification/profile.html",
        {"form": form, "fields_html": fields, "certificate": certificate, "expires_on": link.expires_on},
    )


@require_safe
def profile_done(request):
    number = request.session.get("certification_profile")
    if not number:
        return redirect("certification:index")
    return render(request, "certification/profile_done.html", {"number": number})
