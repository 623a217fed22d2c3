"""PDFs: the certificate itself (認定証, A4 landscape, for framing) and the decision notice (an official letter)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.models import Application, report_deadline
from kiyose.pdf import render_html, render_pdf
from kiyose.wareki import fiscal_year_label, wareki
from sdgs.goals import GOALS

CERTIFICATE_TEMPLATE = "certification/pdf/certificate.html"
NOTICE_KINDS = {
    Application.Status.CERTIFIED: gettext_lazy("認定通知"),
    Application.Status.REJECTED: gettext_lazy("審査結果通知"),
    Application.Status.WAITING: gettext_lazy("審査結果通知"),
}


def issuer() -> str:
    return _("清瀬市 経営政策部 未来創造課")


def _mayor() -> str:
    return f"{_('清瀬市長')}　{settings.CERTIFICATION_MAYOR_NAME.strip()}".strip()


def _ink_on(colour: str) -> str:
    """Black or white, whichever reads better on `colour` (WCAG contrast; several goal colours are light)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "#000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#fff"


def goal_tiles(goals) -> list[dict]:
    """The 17 goals as the certificate draws them, the holder's goals marked."""
    chosen = set(goals)
    return [
        {
            "number": goal.number,
            "name": goal.name,
            "colour": goal.color,
            "ink": _ink_on(goal.color),
            "chosen": goal.number in chosen,
        }
        for goal in GOALS.values()
    ]


def certificates_filename(certificates) -> str:
    """認定証_清瀬SDGs第001号.pdf (the number in the name, so two downloads never overwrite each other)."""
    certificates = list(certificates)
    first = certificates[0].number
    if len(certificates) == 1:
        return _("{number}_認定証.pdf").format(number=first)
    return _("{number}ほか{n}枚_認定証.pdf").format(number=first, n=len(certificates) - 1)


def _certificates_context(certificates: list) -> dict:
    title = (
        _("認定証 {number} {holder}").format(number=certificates[0].number, holder=certificates[0].holder_name)
        if len(certificates) == 1
        else _("認定証（{n}枚）").format(n=len(certificates))
    )
    return {
        "title": title,
        "certificates": [{"c": c, "tiles": goal_tiles(c.goals)} for c in certificates],
        "mayor": _mayor(),
    }


def certificates_html(certificates) -> str:
    return render_html(CERTIFICATE_TEMPLATE, _certificates_context(list(certificates)), issuer=issuer())


def certificates_pdf(certificates) -> bytes:
    return render_pdf(CERTIFICATE_TEMPLATE, _certificates_context(list(certificates)), issuer=issuer())


def _doc_number(application: Application) -> str:
    return _("{prefix}第{n}号").format(prefix=settings.CERTIFICATION_LETTER_PREFIX, n=application.pk)


def notices_filename(applications) -> str:
    """清未創発第12号_認定通知.pdf for one notice; the first number and the count for several."""
    applications = list(applications)
    first = applications[0]
    kind = NOTICE_KINDS.get(first.status, _("決定通知書"))
    if len(applications) == 1:
        return f"{_doc_number(first)}_{kind}.pdf"
    return _("{number}ほか{n}通_決定通知書.pdf").format(number=_doc_number(first), n=len(applications) - 1)


def _contact_lines() -> list[str]:
    """未来創造課's block as staff entered it: a line the office left empty is left out."""
    from certification.services.mail import office

    contact = office()
    if contact is None:
        return [issuer()]
    lines = [" ".join(part for part in (contact.name, contact.section) if part) or issuer()]
    if contact.phone:
        lines.append(_("電話（直通）：{phone}").format(phone=contact.phone))
    if contact.email:
        lines.append(_("メール：{email}").format(email=contact.email))
    return lines


def _letter(application: Application, positions: dict[int, int]) -> dict | None:
    submitted = wareki(timezone.localtime(application.submitted_at))
    base = {
        "doc_number": _doc_number(application),
        # Dated the day of the decision, so a reprint is the same letter.
        "date_wareki": wareki(
            timezone.localdate(application.decided_at) if application.decided_at else timezone.localdate()
        ),
        "addressee": _("{org}　{title}　{name}　様").format(
            org=application.org_name,
            title=application.representative_title,
            name=application.representative_name,
        ),
        "sender_lines": [_mayor()],
        "contact_lines": _contact_lines(),
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
    """One notice per decided application, all in one PDF; returns (pdf, the undecided applications).
    A GET may call this: a notice's number is its application's and its date the decision's, so nothing is
    taken or changed."""
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
    title = (
        f"{letters[0]['doc_number']} {letters[0]['subject']}"
        if len(letters) == 1
        else _("清瀬市SDGs認定証の決定通知書（{n}通）").format(n=len(letters))
    )
    return render_pdf("pdf/letter.html", {"letters": letters, "title": title}, issuer=issuer()), skipped
