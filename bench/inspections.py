"""Benchmarks for inspection visits: the public pages, the availability feed and the letter PDF."""

import datetime as dt
import time
import uuid

_today = dt.date.today()
_feed = (
    f"/inspections/availability.json?start={_today:%Y-%m-%d}&end={_today + dt.timedelta(days=92):%Y-%m-%d}"
)

PAGES = [
    ("行政視察の受け入れ", "/inspections/", "read"),
    ("行政視察受け入れ実績", "/inspections/records/", "read"),
    ("行政視察の申込みフォーム", "/inspections/request/", "form"),
    ("受け入れ可能日（JSON・3か月）", _feed, "read"),
]

BENCH_NAMESPACE = uuid.UUID("6b1f1c9e-6d0e-4a55-9a43-2f1a1d1c0b00")
PAST_VISITS = 300


def prepare() -> None:
    """Past visits over several fiscal years; none in the future, so the calendar stays as the rule says."""
    from inspections.models import Programme, Request, Status

    programmes = list(Programme.objects.all()[:10])
    first_day = dt.date(2019, 4, 8)
    for n in range(PAST_VISITS):
        token = uuid.uuid5(BENCH_NAMESPACE, str(n))
        day = first_day + dt.timedelta(days=7 * n)
        if day >= _today:
            break
        obj, created = Request.objects.get_or_create(
            token=token,
            defaults={
                "reference": f"B{n:05d}",
                "fiscal_year": day.year if day.month >= 4 else day.year - 1,
                "status": Status.COMPLETED,
                "council": f"ベンチ{n}市議会",
                "committee": "総務委員会",
                "contact_name": "担当者",
                "contact_department": "議会事務局",
                "phone": "042-000-0000",
                "email": "bench@example.jp",
                "address": "東京都",
                "preferred_date_1": day,
                "preferred_period_1": "am",
                "councillors": 6,
                "staff": 2,
                "purpose": "調査",
                "transport": "public",
                "confirmed_date": day,
                "department": "企画課",
            },
        )
        if created and programmes:
            obj.topics.set(programmes[n % len(programmes) : n % len(programmes) + 2])


def _timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def extra() -> list[dict]:
    from django.conf import settings
    from weasyprint import HTML

    from inspections import services
    from inspections.documents import letters_html, letters_pdf
    from inspections.models import Request
    from kiyose.pdf import PDF_VARIANT

    ids = list(Request.objects.order_by("pk").values_list("pk", flat=True)[:100])
    if not ids:
        prepare()
        ids = list(Request.objects.order_by("pk").values_list("pk", flat=True)[:100])
    letters = services.letters_issue(request_ids=ids, kind="ack")
    one = letters[:1]
    html = letters_html(one)
    letters_pdf(one)  # warm up: font loading and template compilation happen once per process

    ours = _timed(lambda: letters_pdf(one), 5)
    # The same HTML and the same tagged PDF/UA-1 variant: the ratio is the kit's own cost.
    bare = _timed(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=PDF_VARIANT), 5)
    many = _timed(lambda: letters_pdf(letters), 1)
    ratio_kit = ours / bare
    ratio_many = many / ours
    return [
        {
            "name": "letter PDF, tagged PDF/UA-1 (our kit)",
            "value": round(ours * 1000, 1),
            "unit": "ms",
            "target": "—",
            "ok": True,
        },
        {
            "name": "letter PDF, tagged PDF/UA-1 (bare WeasyPrint)",
            "value": round(bare * 1000, 1),
            "unit": "ms",
            "target": "—",
            "ok": True,
        },
        {
            "name": "letter PDF: kit / bare WeasyPrint",
            "value": round(ratio_kit, 2),
            "unit": "×",
            "target": "≤ 1.2×",
            "ok": ratio_kit <= 1.2,
        },
        {
            "name": f"{len(letters)} letters in one PDF / one letter",
            "value": round(ratio_many, 1),
            "unit": "×",
            "target": f"≤ {len(letters)}×",
            "ok": ratio_many <= len(letters),
        },
    ]
