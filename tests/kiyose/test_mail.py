import pytest
from django.core import mail
from django.core.management import call_command

from kiyose.mail import mail_forget, mail_queue
from kiyose.models import OutboundMail


@pytest.mark.django_db
def test_mail_is_sent_only_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = mail_queue(to="clerk@example.jp", subject="受付", body="本文")
    assert mail.outbox == []
    assert OutboundMail.objects.get(pk=queued.pk).sent_at is None
    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == ["受付"]
    assert OutboundMail.objects.get(pk=queued.pk).sent_at is not None


@pytest.mark.django_db
def test_a_failing_mail_server_keeps_the_mail_and_the_retry_sends_it(django_capture_on_commit_callbacks, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.kiyose.broken_mailer.BrokenBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_queue(to=["a@example.jp"], subject="通知", body="本文")
    failed = OutboundMail.objects.get(pk=queued.pk)
    assert failed.sent_at is None and failed.attempts == 1 and "ConnectionRefusedError" in failed.last_error

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("mail_retry")
    sent = OutboundMail.objects.get(pk=queued.pk)
    assert sent.sent_at is not None and sent.attempts == 2
    assert [m.to for m in mail.outbox] == [["a@example.jp"]]
    call_command("mail_retry")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_mail_forget_removes_every_mail_to_an_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(to="citizen@example.jp", subject="確認", body="本文")
        mail_queue(to="other@example.jp", subject="確認", body="本文")
    assert mail_forget(address="citizen@example.jp") == 1
    assert list(OutboundMail.objects.values_list("to", flat=True)) == [["other@example.jp"]]
