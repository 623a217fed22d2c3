import re

from django.conf import settings
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from certification import views
from certification.cache import page_cache
from certification.models import Certificate, Enquiry
from kiyose.enquiries import enquiry_urls
from kiyose.pages import DOWNLOAD, FORM, READ, SECRET, STEP, page
from kiyose.portal import OFFICE_OF_APP

app_name = "certification"


class CertificateNumberConverter:
    """A certificate number as printed (清瀬SDGs第001号), built from CERTIFICATION_NUMBER_FORMAT so it matches only
    numbers and no other page's path."""

    def __init__(self):
        before, _sep, rest = settings.CERTIFICATION_NUMBER_FORMAT.partition("{")
        after = rest.partition("}")[2]
        self.regex = re.escape(before) + "[0-9]{1,9}" + re.escape(after)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(CertificateNumberConverter, "certno")


def _holders():
    return [{"serial": s} for s in Certificate.objects.in_force().order_by("serial").values_list("serial", flat=True)]


def _secret():
    # A secret link has no instance anyone may list (no sitemap entry, no sample for the tools).
    return []


urlpatterns = [
    page(
        "", views.index, name="index", title=_("清瀬市SDGs認定証"), kind=READ, cache=page_cache, params=["kind", "goal"]
    ),
    page(
        "registry.csv",
        views.registry_csv,
        name="registry_csv",
        title=_("清瀬市SDGs認定団体一覧（CSV）"),
        kind=DOWNLOAD,
        cache=page_cache,
        params=["kind", "goal"],
    ),
    page("apply/", views.ApplyView.as_view(), name="apply", title=_("SDGs認定証の申請"), kind=FORM, params=["step"]),
    page("apply/done/", views.ApplyView.done_view, name="apply_done", title=_("SDGs認定証の申請（完了）"), kind=STEP),
    page("report/done/", views.report_done, name="report_done", title=_("年間報告書の提出（完了）"), kind=STEP),
    page("report/<token:token>/", views.report, name="report", title=_("年間報告書の提出"), kind=SECRET, items=_secret),
    page("profile/done/", views.profile_done, name="profile_done", title=_("公表内容の変更の申出（完了）"), kind=STEP),
    page(
        "profile/<token:token>/",
        views.profile,
        name="profile",
        title=_("公表内容の変更の申出"),
        kind=SECRET,
        items=_secret,
    ),
    page("<id:serial>/", views.holder, name="holder", title=_("認定団体"), kind=READ, cache=page_cache, items=_holders),
    # The number as printed on the certificate (清瀬SDGs第001号) also finds the holder.
    page(
        "<certno:number>/",
        views.holder_by_number,
        name="holder_by_number",
        title=_("認定団体（認定番号から）"),
        kind=STEP,
        items=_secret,
    ),
    *enquiry_urls(model=Enquiry, office=OFFICE_OF_APP["certification"], area=_("SDGs認定証")),
]
