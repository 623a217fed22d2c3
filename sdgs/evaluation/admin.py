"""Staff side of the yearly evaluation (未来創造課): start a year, write each KPI's 要因分析 and 今後の方針,
move it draft → 課内確認 → 公表 with the workflow buttons, revise a published year; the schedule's milestones
and the support schemes' actual use. Registered from sdgs/admin.py."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kiyose.adminkit import TransitionAdminMixin
from kiyose.forms import PortalFormMixin
from sdgs.evaluation.models import (
    Evaluation,
    EvaluationStatus,
    KpiEvaluation,
    Milestone,
    ScheduleLine,
    SupportScheme,
)
from sdgs.evaluation.services import (
    EVALUATION_FLOW,
    evaluation_refresh,
    evaluation_revise,
    evaluation_start,
    evaluation_transition,
    fiscal_year_now,
    kpi_evaluation_save,
    milestone_save,
    support_scheme_save,
)

# Text inputs, not type=number: a browser's number input refuses the full-width digits a Japanese IME types.
NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 10})


class EvaluationForm(PortalFormMixin, forms.ModelForm):
    printed_fields = "__all__"

    class Meta:
        model = Evaluation
        fields = ["fiscal_year", "revision_reason"]
        widgets = {"fiscal_year": NUMBER}

    def clean_fiscal_year(self):
        year = self.cleaned_data["fiscal_year"]
        if self.instance.pk is None:
            if year > fiscal_year_now():
                raise ValidationError(gettext("まだ始まっていない年度の評価は作成できません。"))
            if Evaluation.objects.filter(fiscal_year=year).exists():
                raise ValidationError(
                    gettext("%(year)d年度の評価はすでにあります。公表後の修正は一覧の「改訂版を作成」で行います。")
                    % {"year": year}
                )
        return year


class KpiEvaluationForm(PortalFormMixin, forms.ModelForm):
    printed_fields = "__all__"

    class Meta:
        model = KpiEvaluation
        fields = ["analysis", "plan"]
        widgets = {
            "analysis": forms.Textarea(attrs={"rows": 3, "cols": 48}),
            "plan": forms.Textarea(attrs={"rows": 3, "cols": 48}),
        }


FIGURES = ["kpi_label", "baseline_shown", "target_shown", "value_shown", "rate_shown", "grade_shown"]


class KpiEvaluationInline(admin.TabularInline):
    model = KpiEvaluation
    form = KpiEvaluationForm
    extra = 0
    can_delete = False
    fields = [*FIGURES, "analysis", "plan"]
    readonly_fields = FIGURES
    verbose_name_plural = _("KPIごとの評価（数値は保存のたびに最新の実績から計算し直します）")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("kpi")

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return [*FIGURES, "analysis", "plan"]
        return FIGURES

    @admin.display(description=_("KPI"))
    def kpi_label(self, row):
        return f"{row.kpi.code} {row.kpi.indicator}"

    @admin.display(description=_("基準値"))
    def baseline_shown(self, row):
        return row.baseline_display

    @admin.display(description=_("目標値"))
    def target_shown(self, row):
        return row.target_display

    @admin.display(description=_("評価に用いた値"))
    def value_shown(self, row):
        if row.value is None:
            return "—"
        text = f"{row.value_display}（{row.value_label}）"
        return f"{text} {row.value_note}" if row.value_note else text

    @admin.display(description=_("達成率"))
    def rate_shown(self, row):
        return row.rate_display

    @admin.display(description=_("評価"))
    def grade_shown(self, row):
        label = row.get_grade_display()
        return f"{label}：{row.reason}" if row.reason else label


class EvaluationAdmin(TransitionAdminMixin, SimpleHistoryAdmin):
    workflow = EVALUATION_FLOW
    form = EvaluationForm
    inlines = [KpiEvaluationInline]
    list_display = ["__str__", "fiscal_year", "revision", "status", "published_at", "public_page"]
    list_filter = ["status", "fiscal_year"]
    actions = ["make_revision"]

    def transition_service(self, *, obj, to, by, data):
        return evaluation_transition(obj=obj, to=to, by=by, data=data)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["fiscal_year"]
        return [
            "fiscal_year",
            "revision",
            "status_shown",
            "published_at",
            "revision_reason",
            "public_page",
            "related_pages",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        shown = ["fiscal_year", "revision", "status_shown", "published_at", "public_page", "related_pages"]
        return shown if obj.is_editable else [*shown, "revision_reason"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("状態"))
    def status_shown(self, obj):
        return obj.get_status_display()

    @admin.display(description=_("公表ページ"))
    def public_page(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("sdgs:evaluation", kwargs={"year": obj.fiscal_year})
        label = gettext("公表ページを開く") if obj.is_published else gettext("公表前の確認（職員のみ表示）")
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=_("あわせて入力するもの"))
    def related_pages(self, obj):
        return format_html(
            '<a href="{}">{}</a> ／ <a href="{}">{}</a> ／ <a href="{}">{}</a> ／ <a href="{}">{}</a>',
            reverse("admin:sdgs_kpi_year_entry") + f"?year={obj.fiscal_year}",
            gettext("年度の実績"),
            reverse("admin:sdgs_budgetline_changelist") + f"?fiscal_year={obj.fiscal_year}",
            gettext("資金計画の執行額"),
            reverse("admin:sdgs_milestone_changelist") + f"?fiscal_year={obj.fiscal_year}",
            gettext("マイルストーンの状況"),
            reverse("admin:sdgs_supportscheme_changelist"),
            gettext("支援施策の活用額"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            created = evaluation_start(fiscal_year=obj.fiscal_year)
            for field in obj._meta.concrete_fields:
                setattr(obj, field.attname, getattr(created, field.attname))
            obj._state.adding = False
            return
        if obj.is_editable:
            obj.full_clean()
            obj.save()

    def save_formset(self, request, form, formset, change):
        if formset.model is not KpiEvaluation:
            return super().save_formset(request, form, formset, change)
        for row in formset.save(commit=False):
            kpi_evaluation_save(row=row)
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if change and obj.is_editable:
            # Each save of a draft takes the latest actuals, so the figures staff write about are current.
            evaluation_refresh(evaluation=obj)

    def has_delete_permission(self, request, obj=None):
        # A draft can be thrown away; what was published stays on the record.
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == EvaluationStatus.DRAFT)

    @admin.action(description=_("選択した公表済みの評価の改訂版を作成する"))
    def make_revision(self, request, queryset):
        for evaluation in queryset:
            try:
                new = evaluation_revise(evaluation=evaluation)
            except ValidationError as exc:
                self.message_user(request, f"{evaluation}：{' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("%(obj)sを下書きとして作成しました。改訂の理由を入力してください。") % {"obj": new},
                    messages.SUCCESS,
                )


class MilestoneForm(PortalFormMixin, forms.ModelForm):
    printed_fields = "__all__"

    class Meta:
        model = Milestone
        fields = ["line", "fiscal_year", "position", "text", "status", "note"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    form = MilestoneForm
    extra = 0
    fields = ["fiscal_year", "position", "text", "status", "note"]

    def get_readonly_fields(self, request, obj=None):
        # The phases are the proposal's words; staff keep their status and note.
        return ["fiscal_year", "position", "text"]

    def has_add_permission(self, request, obj=None):
        return False


class ScheduleLineAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "initiative"]
    fields = ["area", "name", "initiative"]
    readonly_fields = ["area", "name"]
    inlines = [MilestoneInline]

    def has_add_permission(self, request):
        return False

    def save_formset(self, request, form, formset, change):
        for milestone in formset.save(commit=False):
            milestone_save(milestone=milestone)
        return None


class MilestoneAdmin(SimpleHistoryAdmin):
    form = MilestoneForm
    list_display = ["line", "fiscal_year", "text", "status", "note"]
    list_editable = ["status", "note"]
    list_filter = ["fiscal_year", "status", "line__area"]
    list_select_related = ["line"]

    def get_readonly_fields(self, request, obj=None):
        return ["line", "fiscal_year", "position", "text"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        milestone_save(milestone=obj)


class SupportSchemeForm(PortalFormMixin, forms.ModelForm):
    printed_fields = "__all__"

    class Meta:
        model = SupportScheme
        fields = ["name", "fiscal_year", "planned", "purpose", "actual", "note", "order"]
        widgets = {"fiscal_year": NUMBER, "planned": NUMBER, "actual": NUMBER}


class SupportSchemeAdmin(SimpleHistoryAdmin):
    form = SupportSchemeForm
    list_display = ["name", "fiscal_year", "planned", "actual"]

    def get_readonly_fields(self, request, obj=None):
        # The plan is the proposal's; the actual use is what staff enter.
        return ["name", "fiscal_year", "planned", "purpose"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        support_scheme_save(scheme=obj)


admin.site.register(Evaluation, EvaluationAdmin)
admin.site.register(ScheduleLine, ScheduleLineAdmin)
admin.site.register(Milestone, MilestoneAdmin)
admin.site.register(SupportScheme, SupportSchemeAdmin)
