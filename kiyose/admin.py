import re

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiyose.exports import csv_response
from kiyose.mail import mail_deliver
from kiyose.models import AccessLog, Office, OutboundMail
from kiyose.personal import models_of_offices, personal_models
from kiyose.roles import user_has_role


class MailStateFilter(admin.SimpleListFilter):
    title = _("状態")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", _("送信待ち")), ("sent", _("送信済")), ("given_up", _("送信断念"))]

    def queryset(self, request, queryset):
        return {
            "waiting": queryset.filter(sent_at__isnull=True, gave_up_at__isnull=True),
            "sent": queryset.filter(sent_at__isnull=False),
            "given_up": queryset.filter(gave_up_at__isnull=False),
        }.get(self.value(), queryset)


@admin.register(OutboundMail)
class OutboundMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "state", "sent_at", "attempts", "last_error"]
    list_filter = [MailStateFilter]
    search_fields = ["subject"]
    readonly_fields = [
        "to",
        "subject",
        "body",
        "reply_to",
        "created_at",
        "sent_at",
        "attempts",
        "last_error",
        "gave_up_at",
        "about_type",
        "about_id",
    ]
    actions = ["resend"]

    @admin.display(description=_("状態"))
    def state(self, obj):
        return obj.state_label

    @admin.action(description=_("選択したメールを再送する"))
    def resend(self, request, queryset):
        pending = queryset.filter(sent_at__isnull=True)
        # A given-up mail gets a fresh start when staff ask for it explicitly.
        pending.update(gave_up_at=None)
        sent = sum(1 for pk in pending.values_list("pk", flat=True) if mail_deliver(mail_id=pk))
        self.message_user(request, _("%(n)d 件を送信しました。") % {"n": sent}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    """Each section keeps its own contact block (every role holds the office permissions, and sees only its
    own row); superusers keep them all, the city hall's block too."""

    list_display = ["__str__", "phone", "email", "hours"]
    fields = ["name", "section", "postcode", "address", "phone", "phone_main", "fax", "email", "hours", "note"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(role__in=list(request.user.groups.values_list("name", flat=True)))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or request.user.is_superuser:
            return allowed
        return allowed and bool(obj.role) and user_has_role(request.user, obj.role)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _visible_models(user) -> list[type]:
    if user.is_superuser:
        return personal_models()
    own = set(models_of_offices(user.groups.values_list("name", flat=True)))
    return [m for m in personal_models() if m._meta.label_lower in own]


def _model_label(label: str) -> str:
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label  # a model since removed: its entries stay readable by label
    return f"{model._meta.verbose_name}（{model._meta.app_config.verbose_name}）"


class AccessModelFilter(admin.SimpleListFilter):
    title = _("記録の種類")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        labels = [m._meta.label_lower for m in _visible_models(request.user)]
        return sorted(((label, _model_label(label)) for label in labels), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset


class AccessStaffFilter(admin.SimpleListFilter):
    title = _("職員")
    parameter_name = "staff"

    def lookups(self, request, model_admin):
        staff = get_user_model().objects.filter(is_staff=True).order_by("username")
        return [(str(u.pk), u.get_username()) for u in staff]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if not (value.isascii() and value.isdigit() and len(value) <= 18):
            return queryset
        return queryset.filter(user_id=int(value))


# "talentbank.person:12" — one record; a bare "12" matches that id in any model the viewer may see.
_RECORD = re.compile(r"(?:(?P<label>[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*):)?(?P<id>[A-Za-z0-9_-]{1,64})")


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: entries are written by kiyose.accesslog and leave only
    through `manage.py accesslog_purge`. Each section sees the entries about its own office's records."""

    list_display = ["at", "username", "client_ip", "record_kind", "action", "record_ids", "count", "detail"]
    list_filter = ["action", "at", AccessModelFilter, AccessStaffFilter]
    search_fields = ["username"]
    search_help_text = _("記録のID（例：12 または talentbank.person:12）、または職員のユーザー名・氏名で検索します。")
    fields = ["at", "username", "user", "client_ip", "record_kind", "object_ids", "count", "action", "detail"]
    readonly_fields = fields
    list_select_related = False
    show_full_result_count = False
    actions = ["export_csv"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_search_results(self, request, queryset, search_term):
        for term in search_term.split():
            record = _RECORD.fullmatch(term)
            by_staff = (
                Q(username__icontains=term) | Q(user__last_name__icontains=term) | Q(user__first_name__icontains=term)
            )
            if record is None:
                queryset = queryset.filter(by_staff)
                continue
            by_record = Q(object_ids__contains=f" {record['id']} ")
            if record["label"]:
                queryset = queryset.filter(by_record, model=record["label"])
            else:
                queryset = queryset.filter(by_record | by_staff)
        return queryset, False

    @admin.display(description=_("記録の種類"), ordering="model")
    def record_kind(self, obj):
        return _model_label(obj.model)

    @admin.display(description=_("記録のID"))
    def record_ids(self, obj):
        ids = obj.ids
        shown = "、".join(ids[:10])
        return shown if len(ids) <= 10 else _("%(ids)s ほか%(n)d件") % {"ids": shown, "n": len(ids) - 10}

    @admin.action(description=_("選択したアクセス記録をCSVで出力する"), permissions=["view"])
    def export_csv(self, request, queryset):
        header = [
            _("日時"),
            _("職員"),
            _("接続元アドレス"),
            _("記録の種類"),
            _("記録のID"),
            _("件数"),
            _("操作"),
            _("操作の詳細"),
        ]
        rows = (
            [
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                e.username,
                e.client_ip or "",
                e.model,
                " ".join(e.ids),
                e.count,
                e.get_action_display(),
                e.detail,
            ]
            for e in queryset.order_by("at", "pk").iterator()
        )
        filename = f"個人情報アクセス記録_{timezone.localdate():%Y%m%d}.csv"
        return csv_response(filename, [str(h) for h in header], rows)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
