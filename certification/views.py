from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from certification import services
from certification.cache import page_cache
from certification.forms import ApplicationForm, ReportForm
from certification.models import Certificate, Kind
from kiyose.exports import csv_response
from kiyose.forms import ConfirmFlowView
from kiyose.params import parse_choice, parse_int
from kiyose.wareki import fiscal_year, fiscal_year_label, wareki
from sdgs.goals import GOALS, goal_choices


def _filters(request) -> tuple[str, int | None, bool]:
    """The registry's filters from the query string: (kind, goal, whether something invalid was asked for)."""
    raw_kind, raw_goal = request.GET.get("kind", ""), request.GET.get("goal", "")
    kind = parse_choice(raw_kind, Kind.values)
    goal = parse_int(raw_goal, minimum=1, maximum=len(GOALS))
    return kind, goal, bool(raw_kind and not kind) or bool(raw_goal and goal is None)


@require_safe
def index(request):
    kind, goal, invalid = _filters(request)
    cap = settings.CERTIFICATION_CAP
    holders = list(
        Certificate.objects.registry(kind=kind, goal=goal).only(
            "serial", "number", "holder_name", "kind", "goals", "summary", "valid_until", "status"
        )
    )
    in_force = len(holders) if not (kind or goal) else Certificate.objects.in_force().count()
    return render(
        request,
        "certification/index.html",
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
    certificate = Certificate.objects.filter(serial=serial).first()
    if certificate is None:
        raise Http404
    report = certificate.reports.order_by("-fiscal_year").first() if certificate.in_force else None
    return render(request, "certification/holder.html", {"certificate": certificate, "report": report})


@require_safe
def holder_by_number(request, number: str):
    serial = Certificate.objects.filter(number=number.strip()).values_list("serial", flat=True).first()
    if serial is None:
        raise Http404
    return redirect("certification:holder", serial=serial, permanent=True)


@require_safe
def registry_csv(request):
    kind, goal, _invalid = _filters(request)
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

    @property
    def ratelimit_rate(self):
        return settings.CERTIFICATION_RATE_LIMIT

    def get_context_data(self, **kwargs):
        if "form" not in kwargs and self.request.method == "GET":
            # The empty form is the same for everyone until the self-check list changes: kept rendered (the
            # app's page cache), so the form itself is built only when it is not.
            kwargs["form"] = None
            kwargs["fields_html"] = page_cache.fragment("apply-fields", build=lambda: render_to_string(
                "certification/_apply_fields.html", {"form": self.get_form()}))
        return super().get_context_data(**kwargs)

    def form_confirmed(self, form, token):
        return services.application_submit(data=form.cleaned_data, answers=form.answers(), token=token)

    def done_reference(self, obj):
        return obj.reference


PROBLEMS = {
    "unknown": gettext_lazy(
        "このリンクは正しくありません。メールに記載されたアドレスを、途中で切れていないか確認してください。"
    ),
    "replaced": gettext_lazy(
        "このリンクは、新しいリンクの発行により使えなくなりました。最新のメールに記載されたリンクをお使いください。"
    ),
    "used": gettext_lazy(
        "このリンクの年間報告書は既に提出されています。内容を修正したい場合は未来創造課へご連絡ください。"
    ),
    "expired": gettext_lazy(
        "このリンクの有効期限が過ぎています。提出を希望される場合は未来創造課へご連絡ください。"
    ),
    "ended": gettext_lazy("この認定証は現在有効ではないため、年間報告書を提出できません。"),
}


def _problem(request, problem: services.InvitationProblem):
    return render(
        request,
        "certification/report_problem.html",
        {"message": PROBLEMS[problem.code], "code": problem.code},
        status=problem.status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report(request, token: str):
    try:
        invitation = services.invitation_resolve(token=token)
    except services.InvitationProblem as problem:
        return _problem(request, problem)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.report_submit(token=token, data=form.cleaned_data)
        except services.InvitationProblem as problem:
            return _problem(request, problem)
        except ValidationError:
            # The year's report already exists (filed by another route meanwhile).
            return _problem(request, services.InvitationProblem("used", 410))
        request.session["certification_report"] = fiscal_year_label(saved.fiscal_year)
        return redirect("certification:report_done")
    return render(
        request,
        "certification/report.html",
        {
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
