"""The kit's own tables: the mail queue, the one counter behind every reference and document number, and the
record of workflow transitions. Apps refer to their rows through content types; the kit imports no app."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboundMailQuerySet(models.QuerySet):
    def due(self, max_attempts: int):
        return self.filter(sent_at__isnull=True, gave_up_at__isnull=True, attempts__lt=max_attempts).order_by(
            "created_at"
        )

    def about(self, obj):
        return self.filter(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)

    def given_up(self):
        return self.filter(gave_up_at__isnull=False)


class OutboundMail(models.Model):
    """A mail the portal owes someone. Committed with the row it is about, sent after commit, retried on failure;
    after MAIL_MAX_ATTEMPTS it is marked as given up (visible in the admin, logged as an error)."""

    to = models.JSONField(_("宛先"))
    subject = models.CharField(_("件名"), max_length=255)
    body = models.TextField(_("本文"))
    reply_to = models.JSONField(_("返信先"), default=list, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("送信試行回数"), default=0)
    last_error = models.TextField(_("直近のエラー"), blank=True)
    gave_up_at = models.DateTimeField(_("送信断念日時"), null=True, blank=True)
    # The record the mail is about (a request, an application…), so staff see it in that record's history.
    about_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("関連する記録の種類")
    )
    about_id = models.CharField(_("関連する記録のID"), max_length=40, blank=True)
    about = GenericForeignKey("about_type", "about_id")

    objects = OutboundMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("送信メール")
        verbose_name_plural = _("送信メール")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["sent_at", "attempts"], name="outboundmail_due_idx"),
            models.Index(fields=["about_type", "about_id"], name="outboundmail_about_idx"),
        ]

    def __str__(self):
        return self.subject

    @property
    def state_label(self) -> str:
        if self.sent_at:
            return str(_("送信済"))
        if self.gave_up_at:
            return str(_("送信断念"))
        return str(_("送信待ち"))


class OutboundAttachment(models.Model):
    mail = models.ForeignKey(OutboundMail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("ファイル名"), max_length=200)
    mimetype = models.CharField(_("種類"), max_length=100)
    content = models.BinaryField(_("内容"))

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")

    def __str__(self):
        return self.filename


class Counter(models.Model):
    """A named serial (reference numbers per fiscal year, document numbers, certificate numbers). The row is
    locked by the UPDATE that takes a number, so concurrent callers queue and never share or skip one."""

    key = models.CharField(_("名前"), max_length=60, unique=True)
    value = models.PositiveIntegerField(_("最後に払い出した番号"), default=0)

    class Meta:
        verbose_name = _("採番")
        verbose_name_plural = _("採番")

    def __str__(self):
        return f"{self.key}: {self.value}"


class TransitionRecordQuerySet(models.QuerySet):
    def of(self, obj):
        return self.filter(
            object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("at", "pk")


class TransitionRecord(models.Model):
    """One step of a workflow: which record moved from which state to which, when and by whom. Written by
    kiyose.workflow in the same transaction as the move; no personal data (staff user only)."""

    object_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("記録の種類"))
    object_id = models.CharField(_("記録のID"), max_length=40)
    workflow = models.CharField(_("業務の流れ"), max_length=60)
    source = models.CharField(_("変更前"), max_length=30)
    target = models.CharField(_("変更後"), max_length=30)
    at = models.DateTimeField(_("日時"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("担当者")
    )
    by_label = models.CharField(
        _("操作の主体"), max_length=60, blank=True, help_text=_("職員以外の操作（申込者・定期処理）")
    )

    objects = TransitionRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("状態の変更記録")
        verbose_name_plural = _("状態の変更記録")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="transition_object_idx")]
        constraints = [models.CheckConstraint(condition=~Q(source=models.F("target")), name="transition_moves")]

    def __str__(self):
        return f"{self.workflow} {self.object_id}: {self.source} → {self.target}"

    def _label(self, state: str) -> str:
        from kiyose.workflow import WORKFLOWS

        flow = WORKFLOWS.get(self.workflow)
        return flow.label(state) if flow is not None and state in flow.states.values else state

    @property
    def source_label(self) -> str:
        return self._label(self.source)

    @property
    def target_label(self) -> str:
        return self._label(self.target)


class Office(models.Model):
    """A contact block as the pages print it: the office that answers for an area (the council office for
    inspections, 未来創造課 for the SDGs pages and certification, 市民協働課 for the talent bank) and the city
    hall's general block in the footer. Seeded only with what the city's documents print; a field they do not
    give stays empty until staff enter it, and the page leaves it out."""

    key = models.SlugField(_("識別名"), max_length=30, unique=True, editable=False)
    role = models.CharField(_("担当する職員の役割"), max_length=30, blank=True, editable=False)
    name = models.CharField(_("名称"), max_length=100)
    section = models.CharField(_("係・担当"), max_length=100, blank=True)
    postcode = models.CharField(_("郵便番号"), max_length=10, blank=True, help_text=_("例：〒204-8511"))
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号（直通）"), max_length=20, blank=True)
    phone_main = models.CharField(_("電話番号（代表）"), max_length=20, blank=True)
    fax = models.CharField(_("ファクス番号"), max_length=20, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    hours = models.CharField(_("受付時間"), max_length=100, blank=True)
    note = models.CharField(_("補足"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("問い合わせ先")
        verbose_name_plural = _("問い合わせ先")
        ordering = ["pk"]

    def __str__(self):
        return " ".join(part for part in (self.name, self.section) if part)


class EnquiryStatus(models.TextChoices):
    NEW = "new", _("未対応")
    IN_PROGRESS = "in_progress", _("対応中")
    DONE = "done", _("完了")


class EnquiryBase(models.Model):
    """A question sent through an area's contact form (お問い合わせフォーム). Each app has its own concrete
    `Enquiry(EnquiryBase)`, so each office sees only its own enquiries (the roles hold their apps' model
    permissions); the form, the flow, the mails and the admin come from kiyose.enquiries."""

    reference = models.CharField(_("受付番号"), max_length=20, unique=True, editable=False)
    submission_token = models.UUIDField(_("送信トークン"), unique=True, editable=False)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    status = models.CharField(_("状態"), max_length=12, choices=EnquiryStatus, default=EnquiryStatus.NEW)
    name = models.CharField(_("お名前"), max_length=100)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    subject = models.CharField(_("件名"), max_length=100)
    message = models.TextField(_("お問い合わせ内容"), max_length=4000)
    staff_note = models.TextField(_("職員メモ"), blank=True)
    replied_at = models.DateTimeField(_("回答日時"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
        verbose_name = _("お問い合わせ")
        verbose_name_plural = _("お問い合わせ")

    def __str__(self):
        return f"{self.reference} {self.subject}"

