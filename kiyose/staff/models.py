from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityStamp(models.Model):
    """A random value renewed whenever a staff member's factors change.

    Each session remembers the value it was opened (or re-verified) with; a session holding another value is
    ended. Password changes need no stamp: Django's session auth hash already ends the other sessions.
    """

    # A plain id, not a foreign key: the stamp is renewed from the devices' delete signals, which also fire while
    # the user row itself is being deleted; a left-over stamp of a deleted user is harmless.
    user_id = models.BigIntegerField(_("職員ID"), primary_key=True)
    value = models.CharField(_("値"), max_length=64)
    changed_at = models.DateTimeField(_("変更日時"), auto_now=True)

    class Meta:
        verbose_name = _("認証手段の変更記録")
        verbose_name_plural = _("認証手段の変更記録")

    def __str__(self):
        return str(self.user_id)
