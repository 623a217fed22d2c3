"""Registered citizens: their registration, the consents they gave, what is left after erasure, the SDGs人材
programme's cohorts and graduates, and their enquiries."""

from datetime import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kiyose.enquiries import enquiry_personal_data
from kiyose.models import EnquiryBase
from kiyose.numbering import number_next
from kiyose.personal import NOT_PERSONAL, PersonalData
from kiyose.portal import Role
from kiyose.wareki import fiscal_year_label
from talentbank.models.fields import AREAS, DAYS, TIMES, WAYS, FlagsField, mask_display
from talentbank.models.spots import (
    WEIGHT_AREA,
    WEIGHT_DAYS,
    WEIGHT_FIELD,
    WEIGHT_GRADUATE,
    WEIGHT_SKILL,
    WEIGHT_TIMES,
    WEIGHT_WAYS,
    partner_consenting_ids,
    points,
)

# The words citizens agree to. A change of wording is a new version: the consent rows keep the version and
# text shown, so what each person agreed to can always be told (個人情報保護法).
CONSENT_VERSION = "2026.1"

PURPOSE_OF_USE = [
    _("地域で活動したい市民と、人手を必要としている分野・場所（困りごとスポット）をつなぐため。"),
    _("市役所の各課が地域活動の担い手を探す際に、市民協働課が登録者をご紹介するため。"),
    _(
        "SDGs人材育成越境学習プログラムの修了者の活動を支援し、その人数などを統計として公表するため（個人が特定される形では公表しません）。"
    ),
    _("登録内容の確認、更新のご案内、活動のご紹介のためにご連絡するため。"),
]

CONSENTS = {
    "retain": _(
        "入力した情報を、清瀬市地域振興部市民協働課が市民人材バンクの登録情報として保管し、上記の利用目的の範囲で"
        "利用することに同意します。"
    ),
    "share": _("登録情報を、市民協働課が地域活動のご紹介のために清瀬市役所の関係課と共有することに同意します。"),
    "partner": _(
        "マッチングの際に、氏名と連絡先を、困りごとスポットを掲載した連携団体（介護事業所、福祉施設、市民活動団体など）へ"
        "提供することに同意します。"
    ),
}


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status="active")

    def pending(self):
        return self.filter(status="pending")

    def ever_registered(self):
        """Registrations ever completed, erased ones included: the KPI is cumulative (累計)."""
        return self.filter(confirmed_at__isnull=False)

    def not_renewed_since(self, cutoff: datetime):
        return self.active().filter(renewed_at__lt=cutoff)

    def due_for_notice(self, cutoff: datetime):
        return self.not_renewed_since(cutoff).filter(retention_notice_at__isnull=True)

    def due_for_erasure(self, cutoff: datetime, notice_cutoff: datetime):
        return self.not_renewed_since(cutoff).filter(retention_notice_at__lt=notice_cutoff)

    def unconfirmed_before(self, cutoff: datetime):
        return self.pending().filter(registered_at__lt=cutoff)

    def suggestions_for(self, spot, *, limit: int = 30):
        """Active people ranked for `spot`, best first, with one annotation per criterion for the reasons.

        Each set test is `pk IN (subquery)` rather than a correlated EXISTS: the database builds the set once
        (a hashed subplan) instead of probing an index for each of 10,000 rows."""
        through = apps.get_model("talentbank", "Person").fields.through
        qs = self.active().annotate(
            has_field=ExpressionWrapper(
                Q(pk__in=through.objects.filter(field_id=spot.field_id).values("person_id")),
                output_field=models.BooleanField(),
            ),
            is_graduate=ExpressionWrapper(
                Q(pk__in=apps.get_model("talentbank", "Graduate").objects.values("person_id")),
                output_field=models.BooleanField(),
            ),
            day_overlap=ExpressionWrapper(
                F("available_days").bitand(spot.days or 0), output_field=models.IntegerField()
            ),
            time_overlap=ExpressionWrapper(
                F("available_times").bitand(spot.times or 0), output_field=models.IntegerField()
            ),
            way_overlap=ExpressionWrapper(F("ways").bitand(spot.ways or 0), output_field=models.IntegerField()),
        )
        matched = apps.get_model("talentbank", "Match").objects.filter(spot_id=spot.pk).values("person_id")
        qs = qs.exclude(pk__in=matched)
        if spot.body_kind != "city":
            # Contact details go to a partner body only with that consent.
            qs = qs.filter(pk__in=partner_consenting_ids())
        score = (
            points(Q(has_field=True), WEIGHT_FIELD)
            + points(Q(day_overlap__gt=0), WEIGHT_DAYS)
            + points(Q(time_overlap__gt=0), WEIGHT_TIMES)
            + points(Q(way_overlap__gt=0), WEIGHT_WAYS)
            + points(Q(is_graduate=True), WEIGHT_GRADUATE)
        )
        if spot.area and spot.area != "outside":
            score = score + points(Q(area=spot.area), WEIGHT_AREA)
        keyword_names = []
        for index, keyword in enumerate(spot.keywords):
            name = f"skill_{index}"
            keyword_names.append((name, keyword))
            qs = qs.annotate(
                **{name: points(Q(skills__icontains=keyword) | Q(qualifications__icontains=keyword), WEIGHT_SKILL)}
            )
            score = score + F(name)
        qs = qs.annotate(score=ExpressionWrapper(score, output_field=models.IntegerField()))
        qs = qs.filter(score__gt=0).order_by("-score", "-renewed_at", "pk")
        qs = qs.only(
            "pk", "reference", "name", "furigana", "area", "available_days", "available_times", "ways", "renewed_at"
        )
        people = list(qs[:limit])
        for person in people:
            person.skill_hits = [kw for name, kw in keyword_names if getattr(person, name)]
        return people


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
    reference = models.CharField(_("登録番号"), max_length=12, blank=True, editable=False)
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
        "talentbank.Field", verbose_name=_("関心のある分野"), blank=True, related_name="people"
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

    # Everything the person told us is personal: erased on request or at the end of retention, exported on a
    # disclosure request. What stays is the anonymous tombstone (state and dates), so cumulative counts hold.
    personal_data = PersonalData(
        file=_("市民人材バンク登録者ファイル"),
        office=Role.KYODO,
        purpose=_("地域で活動したい市民と人手を必要とする分野・場所をつなぎ、市役所の関係課に担い手を紹介するため"),
        source=_("本人（登録フォーム・登録内容の確認ページ）"),
        retention=_("登録または最後の更新確認から3年（更新の案内に返事がなければ消去）"),
        subjects=_("市民人材バンクに登録した市内在住・在勤・在学の方"),
        personal=[
            "name",
            "furigana",
            "age_band",
            "lives_in_city",
            "works_in_city",
            "studies_in_city",
            "area",
            "email",
            "phone",
            "fields",
            "skills",
            "qualifications",
            "available_days",
            "available_times",
            "availability_note",
            "ways",
            "staff_note",
        ],
        other=[
            "status",
            "reference",
            "submission_token",
            "token_hash",
            "token_expires_at",
            "registered_at",
            "confirmed_at",
            "confirm_method",
            "renewed_at",
            "retention_notice_at",
            "erased_at",
        ],
        export=["reference", "status", "registered_at", "confirmed_at", "confirm_method", "renewed_at"],
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
                condition=Q(status="erased") | Q(lives_in_city=True) | Q(works_in_city=True) | Q(studies_in_city=True),
            ),
            models.CheckConstraint(
                name="talentbank_person_active_confirmed",
                condition=~Q(status="active") | Q(confirmed_at__isnull=False),
            ),
            models.UniqueConstraint(
                name="talentbank_person_reference_unique", fields=["reference"], condition=~Q(reference="")
            ),
            models.UniqueConstraint(
                name="talentbank_person_token_hash_unique",
                fields=["token_hash"],
                condition=~Q(token_hash=""),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "renewed_at"], name="talentbank_person_status_idx"),
            # The link is looked up by its hash on every own-page request; the unique constraint's partial
            # index is not used for a bound parameter (SQLite cannot prove it is not empty).
            models.Index(fields=["token_hash"], name="talentbank_person_link_idx"),
        ]

    def __str__(self):
        if self.status == self.Status.ERASED:
            return str(_("消去済みの登録（%(ref)s）") % {"ref": self.reference})
        return self.name

    def save(self, *args, **kwargs):
        # The registration number comes from the portal's one counter (kiyose.numbering), held until commit.
        if self.reference:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            self.reference = f"TB{number_next(key='talentbank-person'):06d}"
            return super().save(*args, **kwargs)

    def clean(self):
        if self.status == self.Status.ERASED:
            return
        if not self.email and not self.phone:
            raise ValidationError(_("メールアドレスか電話番号のどちらかを入力してください。"))
        if not (self.lives_in_city or self.works_in_city or self.studies_in_city):
            raise ValidationError(_("市内に住んでいる・働いている・学んでいるのいずれかを選んでください。"))

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

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("登録者"))
    kind = models.CharField(_("同意の種類"), max_length=10, choices=Kind)
    version = models.CharField(_("文言の版"), max_length=20)
    wording = models.TextField(_("同意文言"))
    granted = models.BooleanField(_("同意した"))
    recorded_at = models.DateTimeField(_("記録日時"))

    history = HistoricalRecords()

    # The evidence of what was agreed stays after erasure: it names nobody once the registration is erased.
    personal_data = PersonalData(
        personal=[],
        other=["person", "kind", "version", "wording", "granted", "recorded_at"],
        export=["kind", "version", "granted", "recorded_at"],
        belongs_to="person",
    )

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


class CohortQuerySet(models.QuerySet):
    def sdgs_people_count(self) -> int:
        """SDGs人材 (累計): each cohort's graduates as staff entered them, registered in the bank or not; where
        staff linked more registered graduates than the count says, the linked ones (the count lags)."""
        rows = self.annotate(linked=models.Count("graduates")).values_list("completed", "linked")
        return sum(max(completed, linked) for completed, linked in rows)


class Cohort(models.Model):
    """One year's SDGs人材育成越境学習プログラム."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"), unique=True, help_text=_("西暦で入力（例：2026）"))
    name = models.CharField(_("名称"), max_length=100, default=_("SDGs人材育成越境学習プログラム"))
    participants = models.PositiveSmallIntegerField(_("受講者数"), default=0)
    # SDGs人材 are the programme's graduates whether or not they registered in the bank (the KPI counts them
    # all); the Graduate rows link only those who did.
    completed = models.PositiveSmallIntegerField(
        _("修了者数"), default=0, help_text=_("人材バンクに登録していない修了者も含めた人数")
    )
    note = models.TextField(_("備考"), blank=True)

    objects = CohortQuerySet.as_manager()
    history = HistoricalRecords()

    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("越境学習プログラム（期）")
        verbose_name_plural = _("越境学習プログラム（期）")
        ordering = ["-fiscal_year"]
        constraints = [
            models.CheckConstraint(name="talentbank_cohort_fiscal_year_sane", condition=Q(fiscal_year__gte=2000)),
        ]

    def __str__(self):
        return f"{fiscal_year_label(self.fiscal_year)} {self.name}"


class Graduate(models.Model):
    """SDGs人材: a cohort's graduate, linked to their registration in the bank."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="graduates", verbose_name=_("期"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="graduations", verbose_name=_("登録者"))
    completed_on = models.DateField(_("修了日"), null=True, blank=True)

    history = HistoricalRecords()

    personal_data = PersonalData(
        personal=[],
        other=["cohort", "person", "completed_on"],
        export=["cohort", "completed_on"],
        belongs_to="person",
    )

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

    # The registration number and the staff account that erased it: nothing about the erased person.
    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("消去の記録")
        verbose_name_plural = _("消去の記録")
        ordering = ["-erased_at"]

    def __str__(self):
        return f"{self.person_ref} {self.get_reason_display()}"


class Enquiry(EnquiryBase):
    """Questions to 市民協働課 through /talentbank/contact/."""

    personal_data = enquiry_personal_data(office=Role.KYODO)

    class Meta:
        verbose_name = _("お問い合わせ")
        verbose_name_plural = _("お問い合わせ")
        ordering = ["-created_at"]
