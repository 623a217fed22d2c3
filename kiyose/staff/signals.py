"""Every change to a staff member's factors renews their security stamp, whichever way it was made (our screens,
the passkey endpoints, a reset, the shell): their other sessions end at their next request."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save


def connect():
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        # Saves without `created` are uses of the factor (last use, throttling), not changes.
        post_save.connect(_device_saved, sender=model, dispatch_uid=f"kiyose.staff.saved.{model.__name__}")
        post_delete.connect(_device_deleted, sender=model, dispatch_uid=f"kiyose.staff.deleted.{model.__name__}")
    user_logged_in.connect(_logged_in, dispatch_uid="kiyose.staff.logged_in")


def _device_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from kiyose.staff.services import stamp_renew

        stamp_renew(user_id=instance.user_id)


def _device_deleted(sender, instance, **kwargs):
    from kiyose.staff.services import stamp_renew

    stamp_renew(user_id=instance.user_id)


def _logged_in(sender, request, user, **kwargs):
    from kiyose.staff.services import session_start

    if request is not None and hasattr(request, "session"):
        session_start(request, user)
