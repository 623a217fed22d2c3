"""The contact forms (お問い合わせフォーム): the city's pages ask people to use a dedicated form instead of
e-mail, so each area has one. The kit gives the form, the input → 確認 → 完了 flow, the mails and the admin;
each app has its own `Enquiry(EnquiryBase)` model so each office sees only its own enquiries:

    # <app>/models.py
    class Enquiry(EnquiryBase):
        personal_data = enquiry_personal_data(office=Role.COUNCIL)

    # <app>/urls.py
    urlpatterns += enquiry_urls(model=Enquiry, office="council", area=_("行政視察"))

    # <app>/admin.py
    admin.site.register(Enquiry, EnquiryAdmin)
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kiyose.adminkit import MailInline, TransitionAdminMixin
from kiyose.cache import page_cache as kit_page_cache
from kiyose.forms import ConfirmFlowView, HoneypotMixin, PhoneField, PortalFormMixin
from kiyose.mail import mail_queue
from kiyose.models import EnquiryStatus, Office
from kiyose.numbering import yearly_number
from kiyose.pages import FORM, STEP, page
from kiyose.personal import PersonalData
from kiyose.submit import submit_once
from kiyose.workflow import Transition, Workflow

ENQUIRY_FIELDS = ["name", "email", "phone", "subject", "message"]
_WORKFLOWS: dict[type, Workflow] = {}


def enquiry_personal_data(*, office: str) -> PersonalData:
    return PersonalData(
        file=_("お問い合わせ記録"),
        office=office,
        purpose=_("お問い合わせへの回答と、その記録"),
        source=_("本人（お問い合わせフォーム）"),
        retention=_("回答の完了から3年"),
        personal=["name", "email", "phone", "subject", "message", "staff_note"],
        other=["reference", "submission_token", "created_at", "status", "replied_at"],
        export=["reference", "created_at", "status"],
    )


def enquiry_workflow(model) -> Workflow:
    if model not in _WORKFLOWS:
        _WORKFLOWS[model] = Workflow(
            f"{model._meta.label_lower}",
            model=model,
            states=EnquiryStatus,
            initial=EnquiryStatus.NEW,
            final=[],
            transitions=[
                Transition([EnquiryStatus.NEW], EnquiryStatus.IN_PROGRESS),
                Transition([EnquiryStatus.NEW, EnquiryStatus.IN_PROGRESS], EnquiryStatus.DONE),
                Transition([EnquiryStatus.DONE], EnquiryStatus.IN_PROGRESS, label=_("対応を再開する")),
            ],
        )
    return _WORKFLOWS[model]


def office_address(key: str) -> str:
    """Where an office's notices go: its e-mail as staff entered it, else nowhere (staff see the admin)."""
    return Office.objects.filter(key=key).values_list("email", flat=True).first() or ""


class EnquiryFormBase(PortalFormMixin, HoneypotMixin, forms.ModelForm):
    phone = PhoneField(label=_("電話番号（任意）"), required=False)


def enquiry_form_class(model):
    return forms.modelform_factory(
        model,
        form=EnquiryFormBase,
        fields=ENQUIRY_FIELDS,
        widgets={
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "message": forms.Textarea(attrs={"rows": 8}),
        },
    )


def enquiry_submit(*, model, office: str, area: str, data: dict, token):
    """Save an enquiry, acknowledge it to the sender and tell the office; one row per submission token."""

    def create():
        year, serial = yearly_number(series=f"{model._meta.app_label}-enquiry")
        enquiry = model(**data, submission_token=token, reference=f"Q{year}-{serial:04d}")
        enquiry.full_clean(validate_unique=False)
        enquiry.save()
        context = {"enquiry": enquiry, "area": area, "office": Office.objects.filter(key=office).first()}
        mail_queue(to=enquiry.email, template="kiyose/mail/enquiry_ack.txt", context=context, about=enquiry)
        notify = office_address(office)
        if notify:
            mail_queue(
                to=notify,
                template="kiyose/mail/enquiry_office.txt",
                context=context,
                about=enquiry,
                reply_to=[enquiry.email],
            )
        return enquiry

    with transaction.atomic():
        return submit_once(model=model, token=token, create=create)


def enquiry_reply(*, enquiry, body: str, by=None):
    """Send the office's answer to the sender; the mail stays in the enquiry's record."""
    with transaction.atomic():
        office = Office.objects.filter(role=_office_role(type(enquiry))).first()
        context = {"enquiry": enquiry, "body": body, "office": office}
        mail_queue(
            to=enquiry.email,
            template="kiyose/mail/enquiry_reply.txt",
            context=context,
            about=enquiry,
            reply_to=[office.email] if office and office.email else None,
        )
        type(enquiry).objects.filter(pk=enquiry.pk).update(replied_at=timezone.now())
        if enquiry.status == EnquiryStatus.NEW:
            enquiry_workflow(type(enquiry)).run(obj=enquiry, to=EnquiryStatus.IN_PROGRESS, by=by)
    enquiry.refresh_from_db()
    return enquiry


def _office_role(model) -> str:
    return model.personal_data.office


class EnquiryView(ConfirmFlowView):
    template_name = "kiyose/enquiry_form.html"
    confirm_template_name = "kiyose/enquiry_confirm.html"
    done_template_name = "kiyose/enquiry_done.html"
    fields_template_name = "kiyose/_enquiry_fields.html"
    page_cache = kit_page_cache
    model = None
    office = ""
    area = ""

    @property
    def ratelimit_rate(self):
        return settings.ENQUIRY_RATE_LIMIT

    def get_form_class(self):
        return enquiry_form_class(self.model)

    def get_context_data(self, **kwargs):
        # The office's name as its contact block prints it, kept until staff edit an office (the kit's page cache).
        office = kit_page_cache.fragment("enquiry-office", self.office, build=self._office_name)
        return super().get_context_data(area=self.area, office=office, **kwargs)

    def _office_name(self) -> str:
        return str(Office.objects.filter(key=self.office).first() or "")

    def form_confirmed(self, form, token):
        data = {name: form.cleaned_data.get(name) or "" for name in ENQUIRY_FIELDS}
        return enquiry_submit(model=self.model, office=self.office, area=str(self.area), data=data, token=token)

    def done_reference(self, obj):
        return obj.reference


def enquiry_urls(*, model, office: str, area):
    """The contact form and its done page for one area (declared public pages)."""
    app = model._meta.app_label
    view = type(
        f"{app.title()}EnquiryView",
        (EnquiryView,),
        {
            "model": model,
            "office": office,
            "area": area,
            "session_key": f"{app}_enquiry",
            "ratelimit_group": f"{app}.enquiry",
            "form_url": f"/{app}/contact/",
            "done_url": f"/{app}/contact/done/",
        },
    )

    def done(request):
        response = view.done_view(request)
        if hasattr(response, "context_data"):
            response.context_data.update(area=area)
        return response

    return [
        page(
            "contact/",
            view.as_view(),
            name="contact",
            title=_("%(area)sに関するお問い合わせ") % {"area": area},
            kind=FORM,
        ),
        page("contact/done/", done, name="contact_done", title=_("お問い合わせ（完了）"), kind=STEP),
    ]


class ReplyForm(PortalFormMixin, forms.Form):
    body = forms.CharField(label=_("回答内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 10}))


class EnquiryAdmin(TransitionAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "status", "subject", "name", "created_at", "replied_at"]
    list_filter = ["status"]
    search_fields = ["reference", "subject", "name", "email"]
    readonly_fields = ["reference", "status", "created_at", "replied_at", *ENQUIRY_FIELDS]
    fields = ["reference", "status", "created_at", "replied_at", *ENQUIRY_FIELDS, "staff_note"]
    inlines = [MailInline]
    change_form_template = "admin/kiyose/enquiry_change_form.html"

    @property
    def workflow(self):
        return enquiry_workflow(self.model)

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_reply",
            ),
        ] + super().get_urls()

    def reply_view(self, request, object_id):
        enquiry = get_object_or_404(self.get_queryset(request), pk=object_id)
        change_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[enquiry.pk])
        if not self.has_change_permission(request, enquiry):
            messages.error(request, gettext("このお問い合わせに回答する権限がありません。"))
            return redirect(change_url)
        form = ReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            enquiry_reply(enquiry=enquiry, body=form.cleaned_data["body"], by=request.user)
            messages.success(request, gettext("回答を送信しました。"))
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("%(ref)s に回答する") % {"ref": enquiry.reference},
            "obj": enquiry,
            "form": form,
            "opts": self.opts,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/kiyose/enquiry_reply.html", context)
