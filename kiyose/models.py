from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundMailQuerySet(models.QuerySet):
    def due(self, max_attempts: int):
        return self.filter(sent_at__isnull=True, attempts__lt=max_attempts).order_by("created_at")


class OutboundMail(models.Model):
    """A mail the portal owes someone. Committed with the row it is about, sent after commit, retried on failure."""

    to = models.JSONField(_("宛先"))
    subject = models.CharField(_("件名"), max_length=255)
    body = models.TextField(_("本文"))
    reply_to = models.JSONField(_("返信先"), default=list, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("送信試行回数"), default=0)
    last_error = models.TextField(_("直近のエラー"), blank=True)

    objects = OutboundMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("送信メール")
        verbose_name_plural = _("送信メール")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "attempts"], name="outboundmail_due_idx")]

    def __str__(self):
        return self.subject
