"""Submit once: a public form's submission carries a token (kiyose.forms.ConfirmFlowView); the app stores it
unique, and this is the one way every service turns a double click, a resend or two racing requests into one
row."""

from collections.abc import Callable

from django.db import IntegrityError, transaction


def submit_once[T](*, model: type[T], token, create: Callable[[], T], field: str = "submission_token") -> T:
    """The row created by `create()` for this token, or the row an earlier submission with the same token made.
    The database's unique constraint on `field` is the judge of a race: the loser's insert fails and it
    returns the winner's row."""
    existing = model._default_manager.filter(**{field: token}).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        existing = model._default_manager.filter(**{field: token}).first()
        if existing is None:
            raise
        return existing
