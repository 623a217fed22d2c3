"""市民人材バンク: registered citizens, their consents, 困りごとスポット, matches and SDGs人材 cohorts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from talentbank.flags import DAYS, TIMES, WAYS, FlagsField, mask_display
from talentbank.querysets import MatchQuerySet, PersonQuerySet, SpotQuerySet

AREAS = [
    ("asahigaoka", _("旭が丘")),
    ("umezono", _("梅園")),
    ("kamikiyoto", _("上清戸")),
    ("shimokiyoto", _("下清戸")),
    ("shimojuku", _("下宿")),
    ("takeoka", _("竹丘")),
    ("nakakiyoto", _("中清戸")),
    ("nakazato", _("中里")),
    ("noshio", _("野塩")),
    ("matsuyama", _("松山")),
    ("motomachi", _("元町")),
    ("outside", _("市外")),
]


class Field(models.Model):
    """A field of activity (分野): staff keep the list; citizens choose from it and spots belong to one."""

    name = models.CharField(_("分野名"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_active = models.BooleanField(_("選択肢に表示する"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分野")
        verbose_name_plural = _("分野")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class Person(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("仮登録（本人確認待ち）")
        ACTIVE = "active", _("登録済み")
        ERASED = "erased", _("消去済み")

    class AgeBand(models.TextChoices):
        TEENS = "10s", _("10代")
        TWENTIES = "20s", _("20代")
        THIRTIES = "30s", _("30代")
        FORTIES = "40s", _("40代")
        FIFTIES = "50s", _("50代")
        SIXTIES = "60s", _("60代")
        SEVENTIES = "70s", _("70代")
        EIGHTIES = "80s", _("80代以上")

    class ConfirmMethod(models.TextChoices):
        EMAIL = "email", _("メールのリンク")
        PHONE = "phone", _("職員が電話で確認")

    status = models.CharField(_("状態"), max_length=10, choices=Status, default=Status.PENDING)
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    furigana = models.CharField(_("ふりがな"), max_length=100, blank=True)
    age_band = models.CharField(_("年代"), max_length=3, choices=AgeBand, blank=True)
    lives_in_city = models.BooleanField(_("市内在住"), default=False)
    works_in_city = models.BooleanField(_("市内在勤"), default=False)
    studies_in_city = models.BooleanField(_("市内在学"), default=False)
    area = models.CharField(_("主な活動地域"), max_length=20, choices=AREAS, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=20, blank=True)
    fields = models.ManyToManyField(
        Field, verbose_name=_("関心のある分野"), blank=True, related_name="people"
    )
    skills = models.TextField(_("得意なこと・特技"), blank=True)
    qualifications = models.TextField(_("資格・免許"), blank=True)
    available_days = FlagsField(_("活動できる曜日"), flags=DAYS, blank=True)
    available_times = FlagsField(_("活動できる時間帯"), flags=TIMES, blank=True)
    availability_note = models.CharField(_("活動できる日時の補足"), max_length=200, blank=True)
    ways = FlagsField(_("関わり方"), flags=WAYS, blank=True)
    staff_note = models.TextField(_("職員メモ"), blank=True)

    submission_token = models.UUIDField(_("送信トークン"), null=True, blank=True, unique=True, editable=False)
    token_hash = models.CharField(_("確認用トークン（ハッシュ）"), max_length=64, blank=True, editable=False)
    token_expires_at = models.DateTimeField(_("確認リンクの有効期限"), null=True, blank=True, editable=False)
    registered_at = models.DateTimeField(_("申込日時"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("本人確認日時"), null=True, blank=True)
    confirm_method = models.CharField(_("本人確認の方法"), max_length=5, choices=ConfirmMethod, blank=True)
    renewed_at = models.DateTimeField(_("最終更新確認日時"), null=True, blank=True)
    retention_notice_at = models.DateTimeField(_("更新案内日時"), null=True, blank=True)
    erased_at = models.DateTimeField(_("消去日時"), null=True, blank=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["token_hash", "submission_token", "token_expires_at"], m2m_fields=[fields]
    )

    class Meta:
        verbose_name = _("登録者")
        verbose_name_plural = _("登録者")
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="talentbank_person_contact_required",
                condition=Q(status="erased") | ~Q(email="") | ~Q(phone=""),
            ),
            models.CheckConstraint(
                name="talentbank_person_relation_required",
                condition=Q(status="erased")
                | Q(lives_in_city=True)
                | Q(works_in_city=True)
                | Q(studies_in_city=True),
            ),
            models.CheckConstraint(
                name="talentbank_person_active_confirmed",
                condition=~Q(status="active") | Q(confirmed_at__isnull=False),
            ),
            models.UniqueConstraint(
                name="talentbank_person_token_hash_unique",
                fields=["token_hash"],
                condition=~Q(token_hash=""),
            ),
        ]
        indexes = [models.Index(fields=["status", "renewed_at"], name="talentbank_person_status_idx")]

    def __str__(self):
        if self.status == self.Status.ERASED:
            return str(_("消去済みの登録（%(ref)s）") % {"ref": self.reference})
        return self.name

    def clean(self):
        if self.status == self.Status.ERASED:
            return
        if not self.email and not self.phone:
            raise ValidationError(_("メールアドレスか電話番号のどちらかを入力してください。"))
        if not (self.lives_in_city or self.works_in_city or self.studies_in_city):
            raise ValidationError(_("市内に住んでいる・働いている・学んでいるのいずれかを選んでください。"))

    @property
    def reference(self) -> str:
        return f"TB{self.pk:06d}" if self.pk else ""

    def relation_display(self) -> str:
        labels = [
            str(label)
            for flag, label in [
                (self.lives_in_city, _("在住")),
                (self.works_in_city, _("在勤")),
                (self.studies_in_city, _("在学")),
            ]
            if flag
        ]
        return "、".join(labels) or "—"

    def days_display(self) -> str:
        return mask_display(self.available_days, DAYS)

    def times_display(self) -> str:
        return mask_display(self.available_times, TIMES)

    def ways_display(self) -> str:
        return mask_display(self.ways, WAYS)


class Consent(models.Model):
    """One consent as the person gave it: which, the wording version shown, yes or no, and when."""

    class Kind(models.TextChoices):
        RETAIN = "retain", _("登録情報の保管")
        SHARE = "share", _("市の関係課との共有")
        PARTNER = "partner", _("マッチング時の連携団体への連絡先提供")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("登録者")
    )
    kind = models.CharField(_("同意の種類"), max_length=10, choices=Kind)
    version = models.CharField(_("文言の版"), max_length=20)
    wording = models.TextField(_("同意文言"))
    granted = models.BooleanField(_("同意した"))
    recorded_at = models.DateTimeField(_("記録日時"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("同意記録")
        verbose_name_plural = _("同意記録")
        ordering = ["person", "kind", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                name="talentbank_consent_one_answer_at_a_time", fields=["person", "kind", "recorded_at"]
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}（{self.version}）"


class Spot(models.Model):
    """困りごとスポット: a place or field short of hands, posted by city hall or a partner body."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("審査中")
        PUBLISHED = "published", _("募集中")
        CLOSED = "closed", _("募集終了")
        REJECTED = "rejected", _("掲載しない")

    class BodyKind(models.TextChoices):
        CITY = "city", _("清瀬市役所")
        CARE = "care", _("介護事業所")
        WELFARE = "welfare", _("福祉施設・社会福祉協議会")
        SCHOOL = "school", _("学校・保育・子育て団体")
        NPO = "npo", _("NPO・市民活動団体")
        FARM = "farm", _("農業者")
        BUSINESS = "business", _("企業・商店")
        OTHER = "other", _("その他")

    status = models.CharField(_("状態"), max_length=10, choices=Status, default=Status.PROPOSED)
    title = models.CharField(_("困りごとの見出し"), max_length=100)
    body_name = models.CharField(_("団体・課の名称"), max_length=100)
    body_kind = models.CharField(_("団体の種類"), max_length=10, choices=BodyKind)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="spots", verbose_name=_("分野"))
    needed = models.TextField(_("手伝ってほしいこと"))
    skill_keywords = models.CharField(
        _("求める技能（キーワード）"),
        max_length=200,
        blank=True,
        help_text=_("読点（、）またはカンマで区切ってください。候補者の特技・資格と照らし合わせます。"),
    )
    when_text = models.CharField(_("日時"), max_length=200)
    days = FlagsField(_("曜日"), flags=DAYS, blank=True)
    times = FlagsField(_("時間帯"), flags=TIMES, blank=True)
    place = models.CharField(_("場所"), max_length=200)
    area = models.CharField(_("地域"), max_length=20, choices=AREAS, blank=True)
    headcount = models.PositiveSmallIntegerField(_("募集人数"))
    ways = FlagsField(_("関わり方"), flags=WAYS, blank=True)
    closes_on = models.DateField(_("募集期限"), null=True, blank=True)
    contact_name = models.CharField(_("担当者名"), max_length=100, blank=True)
    contact_email = models.EmailField(_("担当者メールアドレス"), blank=True)
    contact_phone = models.CharField(_("担当者電話番号"), max_length=20, blank=True)
    submission_token = models.UUIDField(_("送信トークン"), null=True, blank=True, unique=True, editable=False)
    review_note = models.TextField(_("審査メモ"), blank=True)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)

    objects = SpotQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["submission_token"])

    class Meta:
        verbose_name = _("困りごとスポット")
        verbose_name_plural = _("困りごとスポット")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="talentbank_spot_headcount_positive", condition=Q(headcount__gte=1)),
            models.CheckConstraint(
                name="talentbank_spot_published_dated",
                condition=~Q(status="published") | Q(published_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"], name="talentbank_spot_status_idx")]

    def __str__(self):
        return f"{self.title}（{self.body_name}）"

    def clean(self):
        if self.headcount is not None and self.headcount < 1:
            raise ValidationError({"headcount": _("募集人数は1人以上にしてください。")})

    @property
    def keywords(self) -> list[str]:
        text = (self.skill_keywords or "").replace("，", ",").replace("、", ",").replace("・", ",")
        return [k.strip() for k in text.split(",") if k.strip()][:8]

    def days_display(self) -> str:
        return mask_display(self.days, DAYS)

    def times_display(self) -> str:
        return mask_display(self.times, TIMES)

    def ways_display(self) -> str:
        return mask_display(self.ways, WAYS)


class Match(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("提案")
        CONTACTED = "contacted", _("連絡済")
        ACTIVE = "active", _("活動中")
        FINISHED = "finished", _("終了")
        DECLINED = "declined", _("辞退")

    spot = models.ForeignKey(
        Spot, on_delete=models.PROTECT, related_name="matches", verbose_name=_("困りごとスポット")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="matches", verbose_name=_("登録者")
    )
    status = models.CharField(_("状態"), max_length=10, choices=Status, default=Status.PROPOSED)
    notes = models.TextField(_("経過メモ"), blank=True)
    hours = models.DecimalField(_("活動時間（時間）"), max_digits=7, decimal_places=1, default=0)
    proposed_at = models.DateTimeField(_("提案日時"), auto_now_add=True)
    contacted_at = models.DateTimeField(_("連絡日時"), null=True, blank=True)
    started_at = models.DateTimeField(_("活動開始日時"), null=True, blank=True)
    ended_at = models.DateTimeField(_("終了・辞退日時"), null=True, blank=True)

    objects = MatchQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("マッチング")
        verbose_name_plural = _("マッチング")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(name="talentbank_match_once_per_spot", fields=["spot", "person"]),
            models.CheckConstraint(name="talentbank_match_hours_not_negative", condition=Q(hours__gte=0)),
        ]

    def __str__(self):
        # No person's name here: this string lands in admin logs, which erasure does not rewrite.
        return str(
            _("マッチング #%(pk)s（%(status)s）") % {"pk": self.pk, "status": self.get_status_display()}
        )

    def clean(self):
        if self.hours is not None and self.hours < 0:
            raise ValidationError({"hours": _("活動時間は0以上にしてください。")})


class Cohort(models.Model):
    """One year's SDGs人材育成越境学習プログラム."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), unique=True, help_text=_("西暦で入力（例：2026）")
    )
    name = models.CharField(_("名称"), max_length=100, default=_("SDGs人材育成越境学習プログラム"))
    participants = models.PositiveSmallIntegerField(_("受講者数"), default=0)
    note = models.TextField(_("備考"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("越境学習プログラム（期）")
        verbose_name_plural = _("越境学習プログラム（期）")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(
                name="talentbank_cohort_fiscal_year_sane", condition=Q(fiscal_year__gte=2000)
            ),
        ]

    def __str__(self):
        from kiyose.wareki import fiscal_year_label

        return f"{fiscal_year_label(self.fiscal_year)} {self.name}"


class Graduate(models.Model):
    """SDGs人材: a cohort's graduate, linked to their registration in the bank."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="graduates", verbose_name=_("期")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="graduations", verbose_name=_("登録者")
    )
    completed_on = models.DateField(_("修了日"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SDGs人材（修了者）")
        verbose_name_plural = _("SDGs人材（修了者）")
        ordering = ["cohort", "pk"]
        constraints = [
            models.UniqueConstraint(name="talentbank_graduate_once_per_cohort", fields=["cohort", "person"]),
        ]

    def __str__(self):
        return str(_("修了者 #%(pk)s") % {"pk": self.pk})


class ErasureRecord(models.Model):
    """What is left of an erased registration: no personal data, only that it happened, when and why."""

    class Reason(models.TextChoices):
        REQUEST = "request", _("本人の請求")
        RETENTION = "retention", _("保存期間の満了")
        UNCONFIRMED = "unconfirmed", _("本人確認がされなかった")

    person_ref = models.CharField(_("登録番号"), max_length=12)
    reason = models.CharField(_("理由"), max_length=12, choices=Reason)
    erased_at = models.DateTimeField(_("消去日時"), auto_now_add=True)
    erased_by = models.CharField(_("実施者"), max_length=150, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("消去の記録")
        verbose_name_plural = _("消去の記録")
        ordering = ["-erased_at"]

    def __str__(self):
        return f"{self.person_ref} {self.get_reason_display()}"
