"""The public SDGs pages' cache. Rendering a page computes every KPI's progress; the pages change only when
staff save something the pages show (the version moves) or when a live figure of another app changes (entries
expire after settings.SDGS_PAGE_CACHE_SECONDS, so a live figure is at most that old)."""

from kiyose.pagecache import PageCache

# What the public pages show: goals and targets, KPIs with their targets and actuals, initiatives, the funding
# scheme, and 未来創造課's contact block. Enquiries are not shown anywhere public, so they renew nothing.
page_cache = PageCache(
    "sdgs",
    watch=[
        "sdgs.Goal",
        "sdgs.Target",
        "sdgs.Kpi",
        "sdgs.KpiTarget",
        "sdgs.Actual",
        "sdgs.Initiative",
        "sdgs.BudgetLine",
        # The yearly evaluation (sdgs/evaluation/): its pages, and the dashboard's list of published years.
        "sdgs.Evaluation",
        "sdgs.KpiEvaluation",
        "sdgs.ScheduleLine",
        "sdgs.Milestone",
        "sdgs.SupportScheme",
        "kiyose.Office",
    ],
    # A live figure is labelled with today's date, and the list of yearly reports grows on 1 April.
    per_day=True,
    timeout_setting="SDGS_PAGE_CACHE_SECONDS",
)
