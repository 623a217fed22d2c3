"""Small caches that keep the public pages cheap.

Each page body is cached under a key made of the data it shows (counts, update times). Finding that key
would itself cost a query per request, so the key parts are kept for a few seconds too. Saving a
certificate, report or self-check question drops them (signals in apps.py); with the shared Redis cache of
production every worker sees that at once, with a per-process cache another may lag by STATE_SECONDS.
"""

from django.core.cache import cache
from django.db import transaction

from kiyose.pagecache import PageCache

STATE_SECONDS = 5
REGISTRY_KEY = "certification:registry_state"


def _holder_key(serial: int) -> str:
    return f"certification:holder_state:{serial}"


def registry_state() -> dict:
    from certification.models import Certificate

    state = cache.get(REGISTRY_KEY)
    if state is None:
        state = Certificate.objects.registry_state()
        cache.set(REGISTRY_KEY, state, STATE_SECONDS)
    return state


def holder_state(serial: int) -> dict | None:
    """pk, update time, name and number of the certificate with this serial; None when there is none."""
    from certification.models import Certificate

    key = _holder_key(serial)
    state = cache.get(key)
    if state is None:
        fields = ("pk", "updated_at", "holder_name", "number")
        state = Certificate.objects.filter(serial=serial).values(*fields).first()
        cache.set(key, state or {}, STATE_SECONDS)
    return state or None


def forget(sender, instance, **kwargs) -> None:
    """Signal receiver: a certificate, report or question changed."""
    from certification.models import AnnualReport, Certificate

    keys = [REGISTRY_KEY]
    if isinstance(instance, Certificate):
        keys.append(_holder_key(instance.serial))
    elif isinstance(instance, AnnualReport):
        keys.append(_holder_key(Certificate.objects.filter(pk=instance.certificate_id).values_list(
            "serial", flat=True).first() or 0))
    cache.delete_many(keys)
    # Again after commit: a request between this save and the commit may have cached the old state.
    transaction.on_commit(lambda: cache.delete_many(keys))


# Whole responses of the public read pages for anonymous visitors, on top of the fragments above (which still
# serve visitors holding a session). "Places left this fiscal year" depends on the date, hence per_day.
page_cache = PageCache("certification", watch=["certification"], per_day=True)
