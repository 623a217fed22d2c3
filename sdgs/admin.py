"""Staff side (未来創造課): KPIs with actuals inline, a whole fiscal year at once, initiatives, budgets."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kiyose.enquiries import EnquiryAdmin
from kiyose.roles import Role, user_has_role
from kiyose.wareki import fiscal_year_label
from sdgs.board import live_value
from sdgs.forms import (
    ActualForm,
    ActualInlineFormSet,
    KpiAdminForm,
    KpiTargetForm,
    YearChoiceForm,
    YearEntryRowForm,
    format_number,
)
from sdgs.models import Actual, BudgetLine, Enquiry, Goal, Initiative, Kpi, KpiTarget, Target, current_fiscal_year
from sdgs.services import YearEntry, actual_save, actuals_record_year, budget_line_save
from sdgs.sources import source_get

ROLE = Role.MIRAI

admin.site.register(Enquiry, EnquiryAdmin)


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "color"]


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["code", "goal", "text"]
    list_filter = ["goal"]
    list_select_related = ["goal"]


class KpiTargetInline(admin.TabularInline):
    model = KpiTarget
    form = KpiTargetForm
    extra = 0
    fields = ["year", "value", "printed"]


class ActualInline(admin.TabularInline):
    model = Actual
    form = ActualForm
    formset = ActualInlineFormSet
    extra = 1
    fields = ["fiscal_year", "survey_date", "value", "source", "note", "entered_by", "updated_at"]
    readonly_fields = ["entered_by", "updated_at"]
    ordering = ["fiscal_year", "survey_date"]


class NameNeededFilter(admin.SimpleListFilter):
    title = _("指標名の入力")
    parameter_name = "name_needed"

    def lookups(self, request, model_admin):
        return [("yes", _("黒塗りのまま（要入力）")), ("no", _("入力済み"))]

    def queryset(self, request, queryset):
        needing = queryset.needing_name()
        if self.value() == "yes":
            return needing
        if self.value() == "no":
            return queryset.exclude(pk__in=needing.values("pk"))
        return queryset


@admin.register(Kpi)
class KpiAdmin(SimpleHistoryAdmin):
    form = KpiAdminForm
    list_display = ["code", "indicator", "published", "name_needed", "pillar", "synergy", "unit", "live_source"]
    list_filter = [NameNeededFilter, "published", "pillar", "synergy", "cumulative", "direction"]
    search_fields = ["code", "indicator"]
    filter_horizontal = ["sdg_targets"]
    readonly_fields = ["live_source_detail"]
    inlines = [KpiTargetInline, ActualInline]
    fieldsets = [
        (None, {"fields": ["code", "indicator", "published", "pillar", "synergy", "sdg_targets", "order"]}),
        (_("数値の扱い"), {"fields": ["unit", "decimals", "direction", "cumulative", "percent_change"]}),
        (_("基準値"), {"fields": ["baseline_value", "baseline_year", "baseline_month"]}),
        (_("自動集計"), {"fields": ["source_key", "live_source_detail"]}),
        (_("提案書での掲載箇所"), {"classes": ["collapse"], "fields": ["appearances"]}),
    ]
    change_list_template = "sdgs/admin/kpi_change_list.html"

    @admin.display(description=_("指標名"))
    def name_needed(self, obj):
        # Said in words, not only an icon: staff scan this column for the KPIs waiting for their name.
        return gettext("黒塗りのため要入力（非公開）") if obj.needs_name else gettext("入力済み")

    @admin.display(description=_("自動集計"))
    def live_source(self, obj):
        if not obj.source_key:
            return "—"
        if source_get(obj.source_key):
            return obj.source_key
        return gettext("%(key)s（未登録）") % {"key": obj.source_key}

    @admin.display(description=_("自動集計の現在値"))
    def live_source_detail(self, obj):
        if not obj or not obj.source_key:
            return gettext("自動集計しません。実績は下の表に入力します。")
        live = live_value(obj)
        if live is None:
            return gettext("「%(key)s」は登録されていないか集計できません。入力された実績を表示します。") % {
                "key": obj.source_key
            }
        return format_html("{}（{}）：{}", live.label, live.key, obj.format_value(live.value))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Actual:
            return super().save_formset(request, form, formset, change)
        actuals = formset.save(commit=False)  # fills deleted_objects as well
        for obj in formset.deleted_objects:
            obj.delete()
        for actual in actuals:
            actual_save(actual=actual, user=request.user)
        formset.save_m2m()
        return None

    def get_urls(self):
        return [
            path("year-entry/", self.admin_site.admin_view(self.year_entry_view), name="sdgs_kpi_year_entry"),
            *super().get_urls(),
        ]

    def year_entry_view(self, request):
        """One screen for a whole fiscal year's actuals of every KPI (live values are shown beside)."""
        if not (
            user_has_role(request.user, ROLE)
            and self.has_change_permission(request)
            and request.user.has_perm("sdgs.add_actual")
            and request.user.has_perm("sdgs.change_actual")
        ):
            raise PermissionDenied
        year_form = YearChoiceForm(request.GET or {"year": current_fiscal_year()})
        year_ok = year_form.is_valid()
        year = year_form.cleaned_data["year"] if year_ok else current_fiscal_year()
        if not year_ok:
            # Never save under a different year from the one the URL names (e.g. a future fiscal year).
            messages.error(
                request,
                gettext("その年度の実績は入力できません。%(label)sを表示しています。")
                % {"label": fiscal_year_label(year)},
            )
            if request.method == "POST":
                return redirect(f"{reverse('admin:sdgs_kpi_year_entry')}?year={year}")
        kpis = list(Kpi.objects.order_by("order", "code"))
        existing = {a.kpi_id: a for a in Actual.objects.in_fiscal_year(year)}
        rows = []
        for kpi in kpis:
            initial = {}
            if kpi.pk in existing:
                a = existing[kpi.pk]
                initial = {"value": a.value, "source": a.source, "note": a.note}
            data = request.POST if request.method == "POST" else None
            rows.append(YearEntryRowForm(data, prefix=f"kpi-{kpi.pk}", initial=initial, kpi=kpi))
        if request.method == "POST" and all(r.is_valid() for r in rows):
            entries = [
                YearEntry(
                    kpi=r.kpi,
                    value=r.cleaned_data["value"],
                    source=r.cleaned_data["source"],
                    note=r.cleaned_data["note"],
                )
                for r in rows
                if r.cleaned_data.get("value") is not None
            ]
            try:
                saved = actuals_record_year(fiscal_year=year, entries=entries, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                self.message_user(
                    request,
                    gettext("%(label)sの実績を%(n)d件保存しました。")
                    % {"label": fiscal_year_label(year), "n": len(saved)},
                    messages.SUCCESS,
                )
                return redirect(f"{reverse('admin:sdgs_kpi_year_entry')}?year={year}")
        elif request.method == "POST":
            messages.error(
                request, gettext("入力に誤りがあります。赤字の項目を直してください（何も保存していません）。")
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("%(label)sの実績をまとめて入力") % {"label": fiscal_year_label(year)},
            "year": year,
            "year_form": year_form,
            "rows": [(r, r.kpi, _live_display(r.kpi)) for r in rows],
            "has_errors": any(r.errors for r in rows),
        }
        return TemplateResponse(request, "sdgs/admin/year_entry.html", context)


def _live_display(kpi):
    live = live_value(kpi) if kpi.source_key else None
    return {"label": live.label, "value": kpi.format_value(live.value)} if live else None


@admin.register(Actual)
class ActualAdmin(SimpleHistoryAdmin):
    form = ActualForm
    list_display = ["kpi", "fiscal_year", "survey_date", "value_display", "source", "entered_by", "updated_at"]
    list_filter = ["fiscal_year", "kpi__pillar"]
    search_fields = ["kpi__code", "kpi__indicator", "source"]
    list_select_related = ["kpi", "entered_by"]
    readonly_fields = ["entered_by", "created_at", "updated_at"]

    @admin.display(description=_("実績値"), ordering="value")
    def value_display(self, obj):
        return f"{format_number(obj.value, min_decimals=obj.kpi.decimals)}{obj.kpi.unit}"

    def save_model(self, request, obj, form, change):
        actual_save(actual=obj, user=request.user)


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "area", "section"]
    list_filter = ["area"]
    filter_horizontal = ["kpis"]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["fiscal_year", "area", "planned", "spent"]
    list_editable = ["spent"]
    list_filter = ["fiscal_year", "area"]
    ordering = ["fiscal_year", "area"]

    def save_model(self, request, obj, form, change):
        budget_line_save(line=obj)


from sdgs.evaluation import admin as evaluation_admin  # noqa: E402,F401  (registers the evaluation's admins)
