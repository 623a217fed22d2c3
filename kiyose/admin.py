from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kiyose.mail import mail_deliver
from kiyose.models import Office, OutboundMail
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
    readonly_fields = ["to", "subject", "body", "reply_to", "created_at", "sent_at", "attempts", "last_error",
                       "gave_up_at", "about_type", "about_id"]
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
