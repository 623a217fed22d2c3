"""PDFs: the certificate itself (認定証, A4 landscape) and the decision notice (an official letter)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.models import Application, report_deadline
from kiyose.pdf import render_pdf
from kiyose.wareki import fiscal_year_label, wareki


def _mayor() -> str:
    return f"{_('清瀬市長')}　{settings.CERTIFICATION_MAYOR_NAME}".strip()


def certificates_pdf(certificates) -> bytes:
    return render_pdf(
        "certification/pdf/certificate.html", {"certificates": list(certificates), "mayor": _mayor()}
    )


def _letter(application: Application, positions: dict[int, int]) -> dict | None:
    submitted = wareki(timezone.localtime(application.submitted_at))
    base = {
        "doc_number": _("{prefix}第{n}号").format(
            prefix=settings.CERTIFICATION_LETTER_PREFIX, n=application.pk
        ),
        "date_wareki": wareki(timezone.localdate()),
        "addressee": _("{org}　{title}　{name}　様").format(
            org=application.org_name,
            title=application.representative_title,
            name=application.representative_name,
        ),
        "sender_lines": [_mayor()],
        "contact_lines": [
            _("清瀬市 経営政策部 未来創造課"),
            _("メール：{email}").format(email=settings.CERTIFICATION_OFFICE_EMAIL),
        ],
    }
    common = [(_("受付番号"), application.reference), (_("団体名"), application.org_name)]
    if application.status == Application.Status.CERTIFIED:
        certificate = application.certificate
        first_report = certificate.report_years()[0]
        return {
            **base,
            "subject": _("清瀬市SDGs認定証の認定について（通知）"),
            "paragraphs": [
                _(
                    "{date}付けで申請のありました清瀬市SDGs認定証について、審査の結果、下記のとおり認定しましたので通知します。"
                ).format(date=submitted),
                _("認定団体は、毎年度、年間報告書を提出してください。提出がない場合、認定は失効します。"),
            ],
            "items": [
                *common,
                (_("認定番号"), certificate.number),
                (_("認定日"), wareki(certificate.issued_on)),
                (_("有効期限"), wareki(certificate.valid_until)),
                (
                    _("最初の年間報告書"),
                    _("{year}分（提出期限 {deadline}）").format(
                        year=fiscal_year_label(first_report, western=False),
                        deadline=wareki(report_deadline(first_report)),
                    ),
                ),
            ],
        }
    if application.status == Application.Status.REJECTED:
        return {
            **base,
            "subject": _("清瀬市SDGs認定証の審査結果について（通知）"),
            "paragraphs": [
                _(
                    "{date}付けで申請のありました清瀬市SDGs認定証について、審査の結果、下記の理由により認定しないこととしましたので"
                    "通知します。"
                ).format(date=submitted)
            ],
            "items": [*common, (_("理由"), application.decision_reason)],
        }
    if application.status == Application.Status.WAITING:
        return {
            **base,
            "subject": _("清瀬市SDGs認定証の審査結果について（通知）"),
            "paragraphs": [
                _(
                    "{date}付けで申請のありました清瀬市SDGs認定証について、審査の結果、認定の基準を満たしていると認めましたが、"
                    "認定数が上限に達しているため、順番待ちとしましたので通知します。認定枠が空き次第、順番に認定します。"
                ).format(date=submitted)
            ],
            "items": [
                *common,
                (_("順番待ちの順位"), _("{n}番目").format(n=positions.get(application.pk, "—"))),
            ],
        }
    return None


def decision_letters_pdf(applications) -> tuple[bytes | None, list[Application]]:
    """One notice per decided application, all in one PDF; returns (pdf, the undecided applications)."""
    waiting = list(Application.objects.waiting_in_order().values_list("pk", flat=True))
    positions = {pk: i for i, pk in enumerate(waiting, start=1)}
    letters, skipped = [], []
    for application in applications:
        letter = _letter(application, positions)
        if letter is None:
            skipped.append(application)
        else:
            letters.append(letter)
    if not letters:
        return None, skipped
    return render_pdf("pdf/letter.html", {"letters": letters, "title": _("通知")}), skipped
