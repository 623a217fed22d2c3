from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kiyose.mail import mail_deliver
from kiyose.models import OutboundMail


@admin.register(OutboundMail)
class OutboundMailAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject"]
    readonly_fields = ["to", "subject", "body", "reply_to", "created_at", "sent_at", "attempts", "last_error"]
    actions = ["resend"]

    @admin.action(description=_("選択したメールを再送する"))
    def resend(self, request, queryset):
        sent = sum(1 for pk in queryset.filter(sent_at__isnull=True).values_list("pk", flat=True)
                   if mail_deliver(mail_id=pk))
        self.message_user(request, _("%(n)d 件を送信しました。") % {"n": sent}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False
