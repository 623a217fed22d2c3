"""Official letters (受付確認書, 受入決定通知, お断り通知) in the form the council office sends them."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.models import Letter, LetterKind, Request
from kiyose.models import Office
from kiyose.pdf import render_html, render_pdf
from kiyose.wareki import wareki

LETTER_TEMPLATE = "pdf/letter.html"


def document_number(letter: Letter) -> str:
    return _("%(prefix)s第%(serial)d号") % {
        "prefix": settings.INSPECTIONS_LETTER_PREFIX,
        "serial": letter.serial,
    }


def addressee(obj: Request) -> str:
    council = obj.council.strip()
    return _("%(council)s議長 様") % {"council": council if council.endswith("議会") else council + " "}


def sender_lines() -> list[str]:
    chair = settings.INSPECTIONS_CHAIR_NAME.strip()
    return [_("清瀬市議会議長") + (f"　{chair}" if chair else "")]


def contact_lines() -> list[str]:
    # The council office's block as staff keep it in the admin (問い合わせ先), the same data as the pages'.
    office = Office.objects.of_app("inspections")
    return office.lines() if office else []


def _preferences(obj: Request) -> str:
    return "\n".join(
        _("第%(rank)d希望　%(date)s %(period)s") % {"rank": rank, "date": wareki(day, weekday=True), "period": period}
        for rank, day, period in obj.preferences()
    )


def _visitors(obj: Request) -> str:
    return _("議員 %(c)d名、随行職員 %(s)d名（計 %(t)d名）") % {
        "c": obj.councillors,
        "s": obj.staff,
        "t": obj.visitors,
    }


def _visit_time(obj: Request) -> str:
    text = wareki(obj.confirmed_date, weekday=True) if obj.confirmed_date else ""
    if obj.confirmed_start:
        text += " " + obj.confirmed_start.strftime("%H:%M")
        text += "〜" + (obj.confirmed_end.strftime("%H:%M") if obj.confirmed_end else "")
    return text


def letter_context(letter: Letter) -> dict:
    obj = letter.request
    topics = "\n".join(obj.topic_labels()) or "—"
    common = {
        "doc_number": document_number(letter),
        "date_wareki": wareki(letter.issued_on),
        "addressee": addressee(obj),
        "sender_lines": sender_lines(),
        "contact_lines": contact_lines(),
    }
    greeting = _("時下ますますご清祥のこととお慶び申し上げます。")
    if letter.kind == LetterKind.ACKNOWLEDGEMENT:
        return {
            **common,
            "subject": _("行政視察のお申込みについて（受付確認）"),
            "paragraphs": [
                greeting,
                _(
                    "このたびは、清瀬市議会への行政視察についてお申込みいただき、誠にありがとうございます。"
                    "下記のとおり受け付けましたのでお知らせいたします。"
                ),
                _("受け入れの可否につきましては、所管部署と調整のうえ、改めてご回答いたします。"),
            ],
            "items": [
                (_("受付番号"), obj.reference),
                # The request's date in Tokyo: a request made at 00:30 JST is still the previous day in UTC.
                (_("受付日"), wareki(timezone.localdate(obj.created_at))),
                (_("団体名"), f"{obj.council}　{obj.committee}"),
                (_("希望日"), _preferences(obj)),
                (_("視察項目"), topics),
                (_("人数"), _visitors(obj)),
            ],
        }
    if letter.kind == LetterKind.ACCEPTANCE:
        missing = obj.documents_missing()
        return {
            **common,
            "subject": _("行政視察の受け入れについて（通知）"),
            "paragraphs": [
                greeting,
                _(
                    "先にお申込みのありました行政視察につきましては、下記のとおりお受けすることといたしましたので"
                    "通知いたします。"
                ),
                _(
                    "つきましては、清瀬市議会議長あての依頼文書に、参加者名簿、具体的な質問事項及び行程を添えて"
                    "ご送付くださいますようお願いいたします。"
                ),
            ],
            "items": [
                (_("受付番号"), obj.reference),
                (_("日時"), _visit_time(obj)),
                (_("場所"), obj.place),
                (_("視察項目"), topics),
                (_("参加者"), _visitors(obj)),
                (_("ご提出いただく書類"), "、".join(missing) if missing else _("すべて受領済みです")),
            ],
        }
    return {
        **common,
        "subject": _("行政視察のお申込みについて（回答）"),
        "paragraphs": [
            greeting,
            _(
                "先にお申込みのありました行政視察につきましては、所管部署と調整いたしましたが、"
                "下記の理由によりお受けすることができません。"
            ),
            _(
                "せっかくのお申込みにもかかわらず、ご希望に沿えず誠に申し訳ございません。何とぞご理解を賜りますよう"
                "お願い申し上げます。"
            ),
        ],
        "items": [
            (_("受付番号"), obj.reference),
            (_("希望日"), _preferences(obj)),
            (_("視察項目"), topics),
            (_("理由"), obj.decline_reason),
        ],
    }


def _load(letters: list[Letter]) -> list[Letter]:
    ids = [letter.pk for letter in letters]
    loaded = Letter.objects.filter(pk__in=ids).select_related("request").prefetch_related("request__topics")
    by_id = {letter.pk: letter for letter in loaded}
    return [by_id[pk] for pk in ids]


def issuer() -> str:
    office = Office.objects.of_app("inspections")
    return str(office) if office else _("清瀬市議会事務局")


def _title(letters: list[Letter]) -> str:
    label = LetterKind(letters[0].kind).label if letters else _("行政視察に関する文書")
    if len(letters) == 1:
        return f"{document_number(letters[0])} {label}"
    return _("%(label)s（%(n)d通）") % {"label": label, "n": len(letters)}


def letters_filename(letters: list[Letter]) -> str:
    """清議発第12号_受入決定通知.pdf: two letters of one day never overwrite each other in a download folder."""
    label = LetterKind(letters[0].kind).label
    first = document_number(letters[0])
    if len(letters) == 1:
        return f"{first}_{label}.pdf"
    return _("%(first)sほか%(n)d通_%(label)s.pdf") % {"first": first, "n": len(letters) - 1, "label": label}


def letters_context(letters: list[Letter]) -> dict:
    loaded = _load(letters)
    return {"title": _title(loaded), "letters": [letter_context(letter) for letter in loaded]}


def letters_html(letters: list[Letter]) -> str:
    return render_html(LETTER_TEMPLATE, letters_context(letters), issuer=issuer())


def letters_pdf(letters: list[Letter]) -> bytes:
    return render_pdf(LETTER_TEMPLATE, letters_context(letters), issuer=issuer())
