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
    assert mail_forget(values=["citizen@example.jp"]) == 1
    assert list(OutboundMail.objects.values_list("to", flat=True)) == [["other@example.jp"]]


@pytest.mark.django_db
def test_a_line_break_in_the_data_never_breaks_the_subject(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_queue(to="office@example.jp", subject="申込み（清瀬\r\nBcc: x@evil.example 市議会）", body="本文")
    assert OutboundMail.objects.get(pk=queued.pk).sent_at is not None
    assert mail.outbox[0].subject == "申込み（清瀬 Bcc: x@evil.example 市議会）"
    assert "Bcc" not in str(mail.outbox[0].message()["Bcc"] or "")


@pytest.mark.django_db
def test_templates_give_subject_and_body_and_the_mail_is_linked_to_its_record(
    django_capture_on_commit_callbacks, tmp_path, settings
):
    from django.contrib.auth.models import Group

    (tmp_path / "notice.txt").write_text(
        "{% partialdef subject %}件名：{{ name }}{% endpartialdef %}\n"
        "{% partialdef body %}\n{{ name }} 様\n本文です。\n{% endpartialdef %}\n",
        encoding="utf-8",
    )
    # A new list, not an edit in place: the assignment resets the template engines and is undone after the test.
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    group = Group.objects.create(name="受付")
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_queue(
            to="a@example.jp",
            template="notice.txt",
            context={"name": "清瀬\n太郎"},
            about=group,
            attachments=[("受付.pdf", b"%PDF-1.7", "application/pdf")],
        )
    assert queued.subject == "件名：清瀬 太郎"  # a line break in the data never splits the subject
    assert queued.body == "清瀬\n太郎 様\n本文です。\n"
    assert list(OutboundMail.objects.about(group)) == [queued]
    assert mail.outbox[0].attachments[0][0] == "受付.pdf"


@pytest.mark.django_db
def test_retry_gives_up_loudly_after_the_limit(django_capture_on_commit_callbacks, settings, caplog):
    settings.MAILERS = {"default": {"BACKEND": "tests.kiyose.broken_mailer.BrokenBackend"}}
    settings.MAIL_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        queued = mail_queue(to=["a@example.jp"], subject="通知", body="本文")
    call_command("mail_retry")
    failed = OutboundMail.objects.get(pk=queued.pk)
    assert failed.attempts == 2 and failed.gave_up_at is not None and failed.state_label == "送信断念"
    assert any(r.levelname == "ERROR" and "given up" in r.getMessage() for r in caplog.records)
    call_command("mail_retry")
    assert OutboundMail.objects.get(pk=queued.pk).attempts == 2
