"""Public pages of the talent bank, and the registrant's own pages behind their secret link (the only pages
that show a registered citizen's data: to that citizen, never cached, never indexed)."""

import functools

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from kiyose.exports import csv_response
from kiyose.forms import ConfirmFlowView
from kiyose.params import parse_id, parse_int
from kiyose.tokens import TokenGone, gone_response, secret_page_headers, token_lookup
from kiyose.views import ratelimited
from kiyose.wareki import wareki
from kiyose.workflow import errors_to_form
from talentbank import services
from talentbank.cache import page_cache
from talentbank.forms import ConsentForm, ProfileForm, RegistrationForm, SpotProposalForm, WithdrawForm
from talentbank.models import CONSENT_VERSION, CONSENTS, PURPOSE_OF_USE, Consent, Field, Person, Spot

SPOTS_PER_PAGE = 20


def _purpose_context():
    return {
        "purposes": PURPOSE_OF_USE,
        "consents": CONSENTS,
        "consent_version": CONSENT_VERSION,
        "retention_days": settings.TALENTBANK_RETENTION_DAYS,
        "notice_days": settings.TALENTBANK_NOTICE_DAYS,
    }


@require_safe
def index(request):
    # Built once per data version and day (the app's page cache), for visitors holding a session too.
    return render(request, "talentbank/index.html", {"body_html": page_cache.fragment("index", build=_index_body)})


def _index_body() -> str:
    context = _purpose_context()
    context["fields"] = list(Field.objects.filter(is_active=True).values_list("name", flat=True))
    return render_to_string("talentbank/includes/index_body.html", context)


class RegisterView(ConfirmFlowView):
    template_name = "talentbank/register.html"
    confirm_template_name = "talentbank/register_confirm.html"
    form_class = RegistrationForm
    done_template_name = "talentbank/register_done.html"
    form_url = reverse_lazy("talentbank:register")
    done_url = reverse_lazy("talentbank:register_done")
    session_key = "talentbank_registration"
    ratelimit_group = "talentbank.register"
    fields_template_name = "talentbank/includes/fieldsets.html"
    page_cache = page_cache

    @property
    def ratelimit_rate(self):
        return settings.TALENTBANK_RATE_LIMIT

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | _purpose_context()

    def form_confirmed(self, form, token):
        return services.person_register(
            data=form.cleaned_data, token=token, site_url=self.request.build_absolute_uri("/")
        )

    def done_reference(self, obj):
        # The reference only: never the name or address.
        return obj.reference


@require_safe
def spots(request):
    field_id = parse_id(request.GET.get("field", ""))
    raw_field = str(field_id) if field_id else ""
    raw_page = str(parse_int(request.GET.get("page", ""), minimum=1, maximum=999_999) or 1)
    content = page_cache.fragment(
        "spots", raw_field, raw_page, build=lambda: _spot_list(raw_field, raw_page, timezone.localdate())
    )
    return render(request, "talentbank/spots.html", content)


def _spot_list(raw_field: str, raw_page: str, today) -> dict:
    fields = list(Field.objects.filter(is_active=True))
    selected = next((f for f in fields if raw_field and f.pk == int(raw_field)), None)
    queryset = Spot.objects.open_on(today).select_related("field").order_by("-published_at", "-pk")
    if selected is not None:
        queryset = queryset.filter(field=selected)
    page = Paginator(queryset, SPOTS_PER_PAGE).get_page(raw_page)
    context = {"fields": fields, "selected": selected, "page": page}
    return {
        "selected_name": selected.name if selected else "",
        "list_html": render_to_string("talentbank/includes/spot_list.html", context),
    }


class SpotProposeView(ConfirmFlowView):
    template_name = "talentbank/spot_propose.html"
    confirm_template_name = "talentbank/spot_propose_confirm.html"
    form_class = SpotProposalForm
    done_template_name = "talentbank/spot_propose_done.html"
    form_url = reverse_lazy("talentbank:spot_propose")
    done_url = reverse_lazy("talentbank:spot_propose_done")
    session_key = "talentbank_spot_proposal"
    ratelimit_group = "talentbank.spot"
    fields_template_name = "talentbank/includes/fieldsets.html"
    page_cache = page_cache

    @property
    def ratelimit_rate(self):
        return settings.TALENTBANK_RATE_LIMIT

    def form_confirmed(self, form, token):
        return services.spot_propose(data=form.cleaned_data, token=token)

    def done_reference(self, obj):
        return obj.reference


# --- The registrant's own pages, through their secret link ---------------------------------------------------
# The confirmation mail's link confirms the registration and then keeps opening the person's page while they
# are registered (renewal notices send a fresh one). Only its hash is stored (kiyose.tokens).
CONFIRM, RENEW, OWN = "confirm", "renew", "own"


def _gone(person: Person, page: str) -> TokenGone | None:
    if person.status == Person.Status.ERASED:
        return TokenGone("erased", message=_("この登録は取り消され、登録情報は消去されました。"))
    if person.status == Person.Status.PENDING and services.link_is_expired(person):
        return TokenGone(
            "expired",
            message=_(
                "登録を完了するためのリンクの有効期限（%(date)s）が過ぎました。お手数ですが、もう一度ご登録ください。"
            )
            % {"date": wareki(timezone.localdate(person.token_expires_at))},
        )
    if person.status == Person.Status.ACTIVE and page == CONFIRM:
        return TokenGone("used", message=_("このリンクでの登録の確認は、すでに済んでいます。"))
    return None


def link_page(page: str):
    """A page behind the person's link: rate-limited per client (every method, like the inspections status
    page), 404 for a link that never existed, 410 with an explanation for one used, expired or erased; never
    cached, never indexed, never sent on to another site."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, token, **kwargs):
            if is_ratelimited(
                request,
                group="talentbank.link",
                key="ip",
                method=ALL,
                increment=True,
                rate=settings.TALENTBANK_LINK_RATE_LIMIT,
            ):
                return ratelimited(request)
            # Unordered: one row by its hash needs no sort of the whole table.
            person = token_lookup(Person.objects.order_by(), token)
            gone = _gone(person, page)
            if gone is not None:
                response = gone_response(
                    request, gone, template="talentbank/link_gone.html", context={"reason": gone.reason, "token": token}
                )
            elif person.status == Person.Status.PENDING and page != CONFIRM:
                response = redirect("talentbank:confirm", token=token)
            else:
                response = view(request, person, token=token, **kwargs)
            return secret_page_headers(response)

        return wrapper

    return decorate


@require_http_methods(["GET", "HEAD", "POST"])
@link_page(CONFIRM)
def confirm(request, person, *, token):
    """GET shows a button, POST acts: mail scanners that pre-fetch links must not confirm for anyone."""
    if request.method == "POST":
        services.person_confirm_by_token(person=person, raw_token=token)
        messages.success(request, _("市民人材バンクへの登録が完了しました。"))
        return redirect("talentbank:me", token=token)
    return render(request, "talentbank/token_action.html", {"kind": CONFIRM})


@require_http_methods(["GET", "HEAD", "POST"])
@link_page(RENEW)
def renew(request, person, *, token):
    if request.method == "POST":
        services.person_renew(person=person)
        messages.success(request, _("登録を継続しました。引き続きよろしくお願いします。"))
        return redirect("talentbank:me", token=token)
    return render(request, "talentbank/token_action.html", {"kind": RENEW, "token": token})


def _own_context(person: Person, token: str, **forms) -> dict:
    current = services.consents_current(person)
    return {
        "person": person,
        "token": token,
        "rows": services.person_rows(person=person),
        "consents": [
            {
                "kind": kind,
                "label": Consent.Kind(kind).label,
                "wording": CONSENTS[kind],
                "current": current.get(kind),
                "form": forms.get("consent_form") if forms.get("consent_kind") == kind else None,
            }
            for kind in Consent.Kind.values
        ],
        "notice_pending": person.retention_notice_at is not None,
        "retention_days": settings.TALENTBANK_RETENTION_DAYS,
    }


@require_safe
@link_page(OWN)
def me(request, person, *, token):
    return render(request, "talentbank/me.html", _own_context(person, token))


@require_http_methods(["GET", "HEAD", "POST"])
@link_page(OWN)
def me_edit(request, person, *, token):
    form = ProfileForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.person_update(person=person, data=form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("登録内容を変更しました。") if changed else _("変更はありませんでした。"))
            return redirect("talentbank:me", token=token)
    status = 400 if form.is_bound else 200
    return render(request, "talentbank/me_edit.html", {"form": form, "token": token, "person": person}, status=status)


@require_POST
@link_page(OWN)
def me_consent(request, person, *, token):
    form = ConsentForm(request.POST)
    if form.is_valid():
        kind, granted = form.cleaned_data["kind"], form.cleaned_data["granted"]
        if kind == Consent.Kind.RETAIN and not granted:
            # Keeping the data is what the registration is: withdrawing it is withdrawing the registration.
            return redirect("talentbank:me_withdraw", token=token)
        try:
            services.consent_record(person=person, kind=kind, granted=granted)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("「%(kind)s」への回答を記録しました。") % {"kind": Consent.Kind(kind).label})
            return redirect("talentbank:me", token=token)
    context = _own_context(person, token, consent_form=form, consent_kind=request.POST.get("kind"))
    return render(request, "talentbank/me.html", context | {"consent_errors": form.errors}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@link_page(OWN)
def me_withdraw(request, person, *, token):
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reference = person.reference
        services.person_withdraw(person=person)
        return render(request, "talentbank/me_withdrawn.html", {"reference": reference})
    return render(
        request,
        "talentbank/me_withdraw.html",
        {"form": form, "token": token, "person": person},
        status=400 if form.is_bound else 200,
    )


@require_safe
@link_page(OWN)
def me_download(request, person, *, token):
    """The same rows the staff export gives (services.person_export_rows reads the declarations)."""
    rows = services.person_export_rows(person=person)
    return csv_response(f"talentbank_{person.reference}.csv", [str(h) for h in services.EXPORT_HEADER], rows)
