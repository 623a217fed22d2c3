"""The kit's own tables: the mail queue, the one counter behind every reference and document number, and the
record of workflow transitions. Apps refer to their rows through content types; the kit imports no app."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from kiyose.personal import NOT_PERSONAL, SYSTEMS_OFFICE, PersonalData, days_label


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

    personal_data = PersonalData(
        file=_("送信メール記録"),
        office=SYSTEMS_OFFICE,
        purpose=_(
            "ポータルが送る通知メール（受付の確認、回答、手続きのお知らせ）を確実に届け、送ったことを確かめるため"
        ),
        source=_("各業務の記録から自動で作成（宛先は本人が入力したメールアドレス）"),
        retention=_("関連する記録と同じ期間（その記録の消去の際に併せて消去）"),
        subjects=_("ポータルからメールを受け取った方（申込者、登録者、お問い合わせをされた方、職員）"),
        viewers=_("システム管理者（各課の職員は、所管する記録に関するメールをその記録の画面で閲覧）"),
        # A refusal from the mail server quotes the address it refused.
        personal=["to", "subject", "body", "reply_to", "last_error"],
        other=["created_at", "sent_at", "attempts", "gave_up_at", "about_type", "about_id"],
    )

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

    # Attachments are the letters and certificates sent (names, addresses): erased with their mail.
    personal_data = PersonalData(belongs_to="mail", personal=["filename", "content"], other=["mail", "mimetype"])

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

    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("採番")
        verbose_name_plural = _("採番")

    def __str__(self):
        return f"{self.key}: {self.value}"


class TransitionRecordQuerySet(models.QuerySet):
    def of(self, obj):
        return self.filter(object_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)).order_by(
            "at", "pk"
        )


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

    # Which staff account moved which record: the record's id and states only, like the admin's own log.
    personal_data = NOT_PERSONAL

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


class OfficeQuerySet(models.QuerySet):
    def of_app(self, app: str = ""):
        """The office that answers for `app` (the city hall without one); None before the seed ran."""
        from kiyose.portal import FOOTER_OFFICE, OFFICE_OF_APP

        return self.filter(key=OFFICE_OF_APP.get(app, FOOTER_OFFICE)).first()


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

    # An office's published contact block, not a person's (tests/kiyose/test_personal.py allows its fields).
    personal_data = NOT_PERSONAL

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("問い合わせ先")
        verbose_name_plural = _("問い合わせ先")
        ordering = ["pk"]

    def __str__(self):
        return " ".join(part for part in (self.name, self.section) if part)

    def lines(self) -> list[str]:
        """The block as a letter prints it, leaving out what staff have not entered."""
        lines = [_("【担当】%(name)s") % {"name": str(self)}]
        if self.postcode or self.address:
            lines.append(" ".join(part for part in (self.postcode, self.address) if part))
        if self.phone:
            lines.append(_("電話（直通）%(phone)s") % {"phone": self.phone})
        elif self.phone_main:
            lines.append(_("電話（代表）%(phone)s") % {"phone": self.phone_main})
        if self.fax:
            lines.append(_("ファクス %(fax)s") % {"fax": self.fax})
        if self.email:
            lines.append(_("メール %(email)s") % {"email": self.email})
        return lines


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


class AccessAction(models.TextChoices):
    VIEW = "view", _("閲覧")
    LIST = "list", _("一覧")
    SEARCH = "search", _("検索")
    HISTORY = "history", _("履歴閲覧")
    EXPORT = "export", _("出力")
    PRINT = "print", _("印刷")
    SUGGEST = "suggest", _("候補表示")
    CHANGE = "change", _("更新")
    OPERATE = "operate", _("一括操作")
    ERASE = "erase", _("消去")
    DELETE = "delete", _("削除")


class AccessLogQuerySet(models.QuerySet):
    """Append-only: no code path of the portal updates or deletes entries except the retention purge."""

    def visible_to(self, user):
        """Superusers see every entry; a section's staff the entries about the records its office owns."""
        from kiyose.personal import models_of_offices

        if user.is_superuser:
            return self
        return self.filter(model__in=models_of_offices(user.groups.values_list("name", flat=True)))

    def of_record(self, label: str, object_id) -> "AccessLogQuerySet":
        return self.filter(model=label, object_ids__contains=f" {object_id} ")

    def update(self, **kwargs):
        raise TypeError("the access log is append-only")

    def delete(self):
        raise TypeError("the access log is append-only; entries leave only through accesslog_purge")

    def purge(self) -> int:
        return models.QuerySet.delete(self)[0]


def _access_log_retention() -> str:
    period = days_label(settings.ACCESS_LOG_RETENTION_DAYS)
    return str(_("%(period)s（期間を過ぎた記録は毎日消去）") % {"period": period})


class AccessLog(models.Model):
    """Who saw, printed, exported or erased whose personal data: the staff account, the time, the client
    address and which records (model and ids) — never a value of the records themselves, so the log holds
    nothing an erasure would have to reach. Written by kiyose.accesslog, purged after ACCESS_LOG_RETENTION_DAYS."""

    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    # Kept (by name) when the account is deleted: the log must still say who it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("職員アカウント"),
    )
    username = models.CharField(_("職員"), max_length=150)
    client_ip = models.GenericIPAddressField(_("接続元アドレス"), null=True, blank=True)
    model = models.CharField(_("記録の種類"), max_length=100)
    # " 12 15 " — space-delimited so one record's entries are found with a plain LIKE on every database.
    object_ids = models.TextField(_("記録のID"))
    count = models.PositiveIntegerField(_("件数"))
    action = models.CharField(_("操作"), max_length=12, choices=AccessAction)
    detail = models.CharField(
        _("操作の詳細"), max_length=100, blank=True, help_text=_("管理画面の画面名または一括操作の名前")
    )

    objects = AccessLogQuerySet.as_manager()

    personal_data = PersonalData(
        file=_("個人情報アクセス記録"),
        office=SYSTEMS_OFFICE,
        purpose=_("職員による個人情報の閲覧・出力・印刷・消去を記録し、不適切な利用の防止と事後の確認に用いるため"),
        source=_("職員が管理画面で個人情報を扱った際に自動で記録"),
        retention=lazy(_access_log_retention, str)(),
        subjects=_("管理画面で個人情報を扱った職員（扱われた記録は種類と番号のみを残し、内容は残しません）"),
        viewers=_("システム管理者、及び各記録を所管する課の職員（自課の記録に関するもののみ）"),
        personal=["user", "username", "client_ip"],
        other=["at", "model", "object_ids", "count", "action", "detail"],
    )

    class Meta:
        verbose_name = _("個人情報アクセス記録")
        verbose_name_plural = _("個人情報アクセス記録")
        ordering = ["-at", "-pk"]
        # Staff may only read it: no add, change or delete permission exists to be granted.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["model", "at"], name="accesslog_model_idx"),
            models.Index(fields=["user", "at"], name="accesslog_user_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(count__gte=1), name="accesslog_names_records")]

    def __str__(self):
        return f"{self.username} {self.get_action_display()} {self.model} ({self.count})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("the access log is append-only; entries leave only through accesslog_purge")

    @property
    def ids(self) -> list[str]:
        return self.object_ids.split()
