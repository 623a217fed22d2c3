"""Public pages of the talent bank. No page here ever shows a registered citizen's personal data."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kiyose.forms import ConfirmFlowView
from kiyose.params import parse_id, parse_int
from talentbank import services
from talentbank.cache import page_cache
from talentbank.forms import RegistrationForm, SpotProposalForm
from talentbank.models import CONSENT_VERSION, CONSENTS, PURPOSE_OF_USE, Field, Spot

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
    context = _purpose_context() | {"COUNCIL_OFFICE": settings.COUNCIL_OFFICE}
    context["fields"] = list(Field.objects.filter(is_active=True).values_list("name", flat=True))
    return render_to_string("talentbank/includes/index_body.html", context)


class CachedEmptyFormMixin:
    """The empty form is the same for every visitor (the CSRF and submission tokens sit outside it): its fields
    are kept rendered (the app's page cache) and the form itself is built only when they are not."""

    fieldsets_template = "talentbank/includes/fieldsets.html"

    def get_context_data(self, **kwargs):
        if "form" not in kwargs and self.request.method == "GET":
            kwargs["form"] = None
            kwargs["fieldsets_html"] = page_cache.fragment(
                "form", self.form_class.__name__,
                build=lambda: render_to_string(self.fieldsets_template, {"form": self.get_form()}),
            )
        return super().get_context_data(**kwargs)


class RegisterView(CachedEmptyFormMixin, ConfirmFlowView):
    template_name = "talentbank/register.html"
    confirm_template_name = "talentbank/register_confirm.html"
    form_class = RegistrationForm
    done_template_name = "talentbank/register_done.html"
    form_url = reverse_lazy("talentbank:register")
    done_url = reverse_lazy("talentbank:register_done")
    session_key = "talentbank_registration"
    ratelimit_group = "talentbank.register"

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


def _token_action(request, kind, action):
    """GET shows a button, POST acts: mail scanners that pre-fetch links must not confirm or renew for anyone."""
    if request.method == "POST":
        person = action()
        return render(
            request,
            "talentbank/confirmed.html",
            {"ok": person is not None, "kind": kind},
            status=200 if person else 400,
        )
    return render(request, "talentbank/token_action.html", {"kind": kind})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    return _token_action(request, "confirm", lambda: services.person_confirm_by_token(raw_token=token))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def renew(request, token):
    return _token_action(request, "renew", lambda: services.person_renew_by_token(raw_token=token))


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


class SpotProposeView(CachedEmptyFormMixin, ConfirmFlowView):
    template_name = "talentbank/spot_propose.html"
    confirm_template_name = "talentbank/spot_propose_confirm.html"
    form_class = SpotProposalForm
    done_template_name = "talentbank/spot_propose_done.html"
    form_url = reverse_lazy("talentbank:spot_propose")
    done_url = reverse_lazy("talentbank:spot_propose_done")
    session_key = "talentbank_spot_proposal"
    ratelimit_group = "talentbank.spot"

    @property
    def ratelimit_rate(self):
        return settings.TALENTBANK_RATE_LIMIT

    def form_confirmed(self, form, token):
        return services.spot_propose(data=form.cleaned_data, token=token)

    def done_reference(self, obj):
        return f"S{obj.pk:05d}"

