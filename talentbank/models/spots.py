"""困りごとスポット (places and fields short of hands), the fields of activity, and matches of people to spots,
with the ranking of people for a spot as one SQL query: every criterion is an annotation, so 10,000
registrations are scored by the database and only the top few reach Python."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kiyose.numbering import number_next
from kiyose.personal import NOT_PERSONAL, PersonalData
from kiyose.portal import Role
from talentbank.models.fields import AREAS, DAYS, TIMES, WAYS, FlagsField, mask_display

# Points per criterion; the suggestion page explains each point it gives.
WEIGHT_FIELD = 5
WEIGHT_SKILL = 3
WEIGHT_DAYS = 2
WEIGHT_TIMES = 1
WEIGHT_AREA = 2
WEIGHT_WAYS = 1
WEIGHT_GRADUATE = 1


def points(condition: Q, weight: int) -> Case:
    return Case(When(condition, then=Value(weight)), default=Value(0), output_field=models.IntegerField())


class Field(models.Model):
    """A field of activity (分野): staff keep the list; citizens choose from it and spots belong to one."""

    name = models.CharField(_("分野名"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_active = models.BooleanField(_("選択肢に表示する"), default=True)

    history = HistoricalRecords()

    personal_data = NOT_PERSONAL

    class Meta:
        verbose_name = _("分野")
        verbose_name_plural = _("分野")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class SpotQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(status="published").filter(Q(closes_on__isnull=True) | Q(closes_on__gte=day))

    def awaiting_review(self):
        return self.filter(status="proposed")

    def ended_before(self, cutoff):
        """Spots no longer running (closed or not published) whose last change is older than `cutoff`."""
        return self.filter(status__in=["closed", "rejected"], updated_at__lt=cutoff)


class Spot(models.Model):
    """困りごとスポット: a place or field short of hands, posted by city hall or a partner body."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("審査中")
        PUBLISHED = "published", _("募集中")
        CLOSED = "closed", _("募集終了")
        REJECTED = "rejected", _("掲載しない")

    class Project(models.TextChoices):
        NONE = "", _("（なし）")
        SENIOR = "senior", _("シニアの力・循環プロジェクト")

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
    reference = models.CharField(_("受付番号"), max_length=12, blank=True, editable=False)
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
    # The KPI 「シニアの力・循環プロジェクトにより介護事業所とマッチングした人数」 counts only the matches of the
    # project's spots (the seminar's graduates placed with care facilities), not every match to a care facility.
    project = models.CharField(_("事業"), max_length=10, choices=Project, blank=True, default="")
    review_note = models.TextField(_("審査メモ"), blank=True)
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    updated_at = models.DateTimeField(_("最終更新日時"), auto_now=True)

    objects = SpotQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["submission_token"])

    # The spot is public; its contact person (a partner body's staff member) is not.
    personal_data = PersonalData(
        file=_("困りごとスポット担当者ファイル"),
        office=Role.KYODO,
        purpose=_("困りごとスポットの掲載内容の確認とマッチングの連絡のため"),
        source=_("本人（困りごとスポットの提案フォーム）"),
        retention=_("募集終了から3年"),
        subjects=_("困りごとスポットを提案した団体の担当者"),
        personal=["contact_name", "contact_email", "contact_phone"],
        other=[
            "status",
            "reference",
            "title",
            "body_name",
            "body_kind",
            "field",
            "needed",
            "skill_keywords",
            "when_text",
            "days",
            "times",
            "place",
            "area",
            "headcount",
            "ways",
            "closes_on",
            "submission_token",
            "project",
            "review_note",
            "created_at",
            "published_at",
            "updated_at",
        ],
    )

    class Meta:
        verbose_name = _("困りごとスポット")
        verbose_name_plural = _("困りごとスポット")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="talentbank_spot_headcount_positive", condition=Q(headcount__gte=1)),
            models.UniqueConstraint(
                name="talentbank_spot_reference_unique", fields=["reference"], condition=~Q(reference="")
            ),
            models.CheckConstraint(
                name="talentbank_spot_published_dated",
                condition=~Q(status="published") | Q(published_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"], name="talentbank_spot_status_idx")]

    def __str__(self):
        return f"{self.title}（{self.body_name}）"

    def save(self, *args, **kwargs):
        # The reference comes from the portal's one counter (kiyose.numbering), held until commit.
        if self.reference:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            self.reference = f"S{number_next(key='talentbank-spot'):05d}"
            return super().save(*args, **kwargs)

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


class MatchQuerySet(models.QuerySet):
    def started(self):
        """Matches that turned into activity (活動中 or 終了): what 'matched' means in the KPI."""
        return self.filter(status__in=["active", "finished"])

    def senior_project_people_count(self) -> int:
        """People placed with a care facility through シニアの力・循環プロジェクト (累計: erased people stay counted
        through their tombstone)."""
        return (
            self.started().filter(spot__project="senior", spot__body_kind="care").values("person_id").distinct().count()
        )


class Match(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("提案")
        CONTACTED = "contacted", _("連絡済")
        ACTIVE = "active", _("活動中")
        FINISHED = "finished", _("終了")
        DECLINED = "declined", _("辞退")

    spot = models.ForeignKey(
        "talentbank.Spot", on_delete=models.PROTECT, related_name="matches", verbose_name=_("困りごとスポット")
    )
    person = models.ForeignKey(
        "talentbank.Person", on_delete=models.PROTECT, related_name="matches", verbose_name=_("登録者")
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

    # The progress notes say what the person did and said: erased with the person.
    personal_data = PersonalData(
        personal=["notes"],
        other=["spot", "person", "status", "hours", "proposed_at", "contacted_at", "started_at", "ended_at"],
        export=["spot", "status", "hours", "started_at", "ended_at"],
        belongs_to="person",
    )

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
        return str(_("マッチング #%(pk)s（%(status)s）") % {"pk": self.pk, "status": self.get_status_display()})

    def clean(self):
        if self.hours is not None and self.hours < 0:
            raise ValidationError({"hours": _("活動時間は0以上にしてください。")})


def partner_consenting_ids():
    """People whose latest answer on passing contact to a partner body is yes."""
    consent = apps.get_model("talentbank", "Consent").objects
    later = consent.filter(person_id=OuterRef("person_id"), kind="partner", recorded_at__gt=OuterRef("recorded_at"))
    return consent.filter(kind="partner", granted=True).exclude(Exists(later)).values("person_id")
