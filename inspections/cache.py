"""The public pages' cache: the calendar, the record and the feed change only when the data they show changes
(and at midnight, when today's date moves the lead time), so they are served from the cache between writes."""

from kiyose.pagecache import PageCache

# What the public pages show: programmes, sessions, blocked dates, taken slots, the record of visits, and the
# council office's contact block.
page_cache = PageCache(
    "inspections",
    watch=[
        "inspections.Programme",
        "inspections.CouncilSession",
        "inspections.BlockedDate",
        "inspections.VisitSlot",
        "inspections.Request",
        # The status pages show the letters and documents of their request.
        "inspections.Letter",
        "inspections.DocumentUpload",
        "kiyose.Office",
    ],
    per_day=True,
)
