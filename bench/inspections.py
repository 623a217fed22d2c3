"""Benchmarks for inspection visits: the public pages, the status page behind a known link, the contact form, the
availability feed and the letter PDF.

`python bench/inspections.py` (with the bench database prepared by `make bench`, or any database) also measures
the pages rendered without the page cache (with a session cookie, as staff and visitors in the middle of a form
are served) against /livez, in process: 200 requests each.
"""

import datetime as dt
import time
import uuid
from zoneinfo import ZoneInfo

# Computed before Django is set up (the harness imports this module first): Kiyose's date, not the server's.
_today = dt.datetime.now(ZoneInfo("Asia/Tokyo")).date()
_feed = f"/inspections/availability.json?start={_today:%Y-%m-%d}&end={_today + dt.timedelta(days=92):%Y-%m-%d}"
# The status page of a prepared request: the raw token is public here and only here (bench data only).
STATUS_TOKEN = "bench-status-link-0000000000000000000000000000"  # noqa: S105 (bench data, not a secret)

PAGES = [
    ("行政視察の受け入れ", "/inspections/", "read"),
    ("行政視察受け入れ実績", "/inspections/records/", "read"),
    ("行政視察の申込みフォーム", "/inspections/request/", "form"),
    ("受け入れ可能日（JSON・3か月）", _feed, "read"),
    ("行政視察のお申込み状況（状況確認ページ）", f"/inspections/status/{STATUS_TOKEN}/", "form"),
    ("行政視察に関するお問い合わせ", "/inspections/contact/", "form"),
]


def samples() -> dict[str, str]:
    """Sample URLs of the pages behind secret links, for the harness (bench/run.py reads the page registry)."""
    return {"inspections:status": f"/inspections/status/{STATUS_TOKEN}/"}


BENCH_NAMESPACE = uuid.UUID("6b1f1c9e-6d0e-4a55-9a43-2f1a1d1c0b00")
PAST_VISITS = 300


def prepare() -> None:
    """Past visits over several fiscal years (none in the future, so the calendar stays as the rule says), and
    one open request whose status link is STATUS_TOKEN."""
    from inspections.models import Programme, Request, Status
    from kiyose.tokens import token_hash

    programmes = list(Programme.objects.all()[:10])
    common = {
        "committee": "総務委員会",
        "contact_name": "担当者",
        "contact_department": "議会事務局",
        "phone": "042-000-0000",
        "email": "bench@example.jp",
        "address": "東京都",
        "preferred_period_1": "am",
        "councillors": 6,
        "staff": 2,
        "purpose": "調査",
        "transport": "public",
    }
    first_day = dt.date(2019, 4, 8)
    for n in range(PAST_VISITS):
        token = uuid.uuid5(BENCH_NAMESPACE, str(n))
        day = first_day + dt.timedelta(days=7 * n)
        if day >= _today:
            break
        obj, created = Request.objects.get_or_create(
            submission_token=token,
            defaults={
                **common,
                "reference": f"B{n:05d}",
                "fiscal_year": day.year if day.month >= 4 else day.year - 1,
                "status": Status.COMPLETED,
                "council": f"ベンチ{n}市議会",
                "preferred_date_1": day,
                "confirmed_date": day,
                "department": "企画課",
            },
        )
        if created and programmes:
            obj.topics.set(programmes[n % len(programmes) : n % len(programmes) + 2])
    status, created = Request.objects.get_or_create(
        submission_token=uuid.uuid5(BENCH_NAMESPACE, "status"),
        defaults={
            **common,
            "reference": "B-STATUS",
            "status_token_hash": token_hash(STATUS_TOKEN),
            "fiscal_year": _today.year if _today.month >= 4 else _today.year - 1,
            "council": "ベンチ状況確認市議会",
            "preferred_date_1": _today + dt.timedelta(days=60),
        },
    )
    if created and programmes:
        status.topics.set(programmes[:2])


def rendered(requests: int = 200) -> list[tuple[str, float, float]]:
    """(path, req/s, ratio to /livez) of each page rendered with a session cookie, in process."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "bench-session-without-a-row"

    def rate(path: str) -> float:
        for _warm in range(5):
            assert client.get(path).status_code == 200, path
        started = time.perf_counter()
        for _n in range(requests):
            client.get(path)
        return requests / (time.perf_counter() - started)

    trivial = rate("/livez")
    return [(path, r, r / trivial) for _name, path, _kind in PAGES for r in [rate(path)]]


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

    from inspections.documents import letters_html, letters_pdf
    from inspections.models import Request
    from inspections.services.requests import letters_issue
    from kiyose.pdf import PDF_VARIANT

    ids = list(Request.objects.order_by("pk").values_list("pk", flat=True)[:100])
    if not ids:
        prepare()
        ids = list(Request.objects.order_by("pk").values_list("pk", flat=True)[:100])
    letters = letters_issue(request_ids=ids, kind="ack")
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


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiyose.settings")
    import django

    django.setup()
    for path, rate, ratio in rendered():
        print(f"{ratio:5.2f}×  {rate:7.1f} req/s  {path}")
