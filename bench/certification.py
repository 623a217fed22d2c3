"""Benchmark data of the SDGs certification: a full registry with published reports, and a holder's profile link
and annual-report link whose raw tokens are known here (and only here), so the harness loads those pages too.
The pages themselves come from the registry (kiyose.pages)."""

# Bench data only, not secrets: the raw tokens of one holder's links.
PROFILE_TOKEN = "bench-profile-link-000000000000000000000000000"  # noqa: S105
REPORT_TOKEN = "bench-report-link-0000000000000000000000000000"  # noqa: S105


def samples() -> dict[str, str]:
    return {
        "certification:profile": f"/certification/profile/{PROFILE_TOKEN}/",
        "certification:report": f"/certification/report/{REPORT_TOKEN}/",
    }


def prepare() -> None:
    """Fill the registry to the cap with holders, each with two years of annual reports (idempotent)."""
    import datetime as dt
    import uuid

    from django.conf import settings

    from certification import seed, services
    from certification.models import AnnualReport, Certificate, SelfCheckQuestion

    seed.load()
    answers = {q.pk: True for q in SelfCheckQuestion.objects.filter(active=True)}
    kinds = [("company", "shokokai"), ("group", "volunteer_center"), ("other", "direct")]
    today = dt.date.today()
    for i in range(settings.CERTIFICATION_CAP - Certificate.objects.in_force().count()):
        kind, intake = kinds[i % 3]
        token = uuid.uuid5(uuid.NAMESPACE_URL, f"bench-certification-{i}")
        application = services.application_submit(
            token=token,
            answers=answers,
            data={
                "org_name": f"ベンチマーク団体{i + 1}",
                "org_name_kana": "べんちまーくだんたい",
                "kind": kind,
                "intake": intake,
                "address": "東京都清瀬市中里5-842",
                "url": "",
                "representative_title": "代表",
                "representative_name": "清瀬 太郎",
                "contact_name": "清瀬 花子",
                "contact_email": f"bench{i}@example.jp",
                "contact_phone": "042-492-5111",
                "goals": [(i % 17) + 1, 11, 17],
                "initiative_economy": "地域の商店との連携",
                "initiative_society": "子ども食堂への協力",
                "initiative_environment": "省エネルギーの推進",
                "summary": "清瀬市内で地域と環境のために活動しています。",
                "commit_annual_report": True,
                "consent_publication": True,
            },
        )
        if application.status == "received":
            application = services.application_review_start(application=application)
        if application.status == "reviewing":
            services.application_certify(application=application, today=today)
    for certificate in Certificate.objects.in_force():
        for year in certificate.report_years()[:2]:
            AnnualReport.objects.get_or_create(
                certificate=certificate,
                fiscal_year=year,
                defaults={
                    "activities_economy": "市内事業者との共同企画を実施しました。" * 5,
                    "activities_society": "地域清掃と子ども向け講座を開催しました。" * 5,
                    "activities_environment": "店舗の電力使用量を削減しました。" * 5,
                    "outcomes": "参加者延べ300人、電力使用量10%削減",
                    "next_year_plan": "活動の場を広げます。",
                    "status": AnnualReport.Status.PUBLISHED,
                },
            )
    _links(Certificate.objects.in_force().order_by("serial").first())


def _links(certificate) -> None:
    """The profile and report links of the first holder, with the known tokens (far from expiry)."""
    import datetime as dt

    from certification.models import ProfileLink, ReportInvitation
    from kiyose.tokens import token_hash

    if certificate is None:
        return
    far = dt.date.today() + dt.timedelta(days=3650)
    ProfileLink.objects.update_or_create(
        token_hash=token_hash(PROFILE_TOKEN),
        defaults={"certificate": certificate, "expires_on": far, "used_at": None, "revoked_at": None},
    )
    # A year the holder owes no report yet (reports of the first two years exist).
    year = certificate.report_years()[-1]
    if not ReportInvitation.objects.filter(token_hash=token_hash(REPORT_TOKEN)).exists():
        ReportInvitation.objects.filter(
            certificate=certificate, fiscal_year=year, used_at__isnull=True, revoked_at__isnull=True
        ).delete()
        ReportInvitation.objects.create(
            certificate=certificate, fiscal_year=year, token_hash=token_hash(REPORT_TOKEN), expires_on=far
        )


def _seconds(fn) -> float:
    import time

    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def extra() -> list[dict]:
    """Time to render one 認定証 PDF and one daily lifecycle run over a full registry (measured)."""
    import time

    from django.conf import settings
    from weasyprint import HTML

    from certification import documents, services
    from certification.models import Certificate
    from kiyose.pdf import PDF_VARIANT

    certificate = Certificate.objects.order_by("serial").first()
    results = []
    if certificate is not None:
        documents.certificates_pdf([certificate])  # warm the font and WeasyPrint
        runs = 5
        start = time.perf_counter()
        for _ in range(runs):
            documents.certificates_pdf([certificate])
        seconds = (time.perf_counter() - start) / runs
        results.append(
            {
                "name": "認定証PDF 1枚の作成時間（PDF/UA-1）",
                "value": round(seconds, 3),
                "unit": "s",
                "target": "≤ 1.0 s",
                "ok": seconds <= 1.0,
            }
        )
        # Kit against bare WeasyPrint on the same HTML and the same tagged variant.
        html = documents.certificates_html([certificate])
        bare = min(
            _seconds(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant=PDF_VARIANT))
            for _ in range(runs)
        )
        ours = min(_seconds(lambda: documents.certificates_pdf([certificate])) for _ in range(runs))
        results.append(
            {
                "name": "認定証PDF: kit / bare WeasyPrint",
                "value": round(ours / bare, 2),
                "unit": "×",
                "target": "≤ 1.2×",
                "ok": ours / bare <= 1.2,
            }
        )
    runs = 5
    start = time.perf_counter()
    for _ in range(runs):
        # Today's run again: notices already sent are never resent, so repeating it changes nothing.
        services.certification_lifecycle()
    seconds = (time.perf_counter() - start) / runs
    results.append(
        {
            "name": "認定証の日次処理（登録団体すべて）",
            "value": round(seconds, 3),
            "unit": "s",
            "target": "≤ 2.0 s",
            "ok": seconds <= 2.0,
        }
    )
    return results
