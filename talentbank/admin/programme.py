"""Fields of activity, SDGs人材 cohorts and graduates, and the log of erasures."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from talentbank.admin.base import RoleAdmin
from talentbank.forms import AdminModelForm
from talentbank.models import Cohort, ErasureRecord, Field, Graduate


@admin.register(Field)
class FieldAdmin(RoleAdmin):
    list_display = ["name", "order", "is_active", "people_count"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_people=Count("people"))

    @admin.display(description=_("関心のある登録者数"), ordering="n_people")
    def people_count(self, obj):
        return obj.n_people


class GraduateInline(admin.TabularInline):
    model = Graduate
    form = AdminModelForm
    extra = 1
    raw_id_fields = ["person"]
    fields = ["person", "completed_on"]


@admin.register(Cohort)
class CohortAdmin(RoleAdmin):
    list_display = ["fiscal_year_label", "name", "participants", "completed", "graduate_count"]
    inlines = [GraduateInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_graduates=Count("graduates"))

    @admin.display(description=_("年度"), ordering="fiscal_year")
    def fiscal_year_label(self, obj):
        from kiyose.wareki import fiscal_year_label

        return fiscal_year_label(obj.fiscal_year)

    @admin.display(description=_("うち人材バンク登録者"), ordering="n_graduates")
    def graduate_count(self, obj):
        return obj.n_graduates


@admin.register(Graduate)
class GraduateAdmin(RoleAdmin):
    list_display = ["__str__", "cohort", "person", "completed_on"]
    list_filter = ["cohort"]
    list_select_related = ["cohort", "person"]
    raw_id_fields = ["person"]


@admin.register(ErasureRecord)
class ErasureRecordAdmin(RoleAdmin):
    list_display = ["person_ref", "reason", "erased_at", "erased_by"]
    list_filter = ["reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
