"""The factor models stay out of the admin: django-otp's device pages are in English and would let a superuser
create a factor (and read its secret) for someone else. Staff manage their own factors on the 2段階認証 screens;
superusers see everyone's and reset them from 職員の2段階認証 (kiyose.staff.views)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
