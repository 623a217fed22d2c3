"""The public pages' cache: the calendar, the record and the feed change only when inspection data changes
(and at midnight, when today's date moves the lead time), so they are served from the cache between writes."""

from kiyose.pagecache import PageCache

# Every table of the app shows on a public page: programmes, sessions, blocked dates, slots, the record.
page_cache = PageCache("inspections", watch=["inspections"], per_day=True)
cached_public_page = page_cache.page
data_version = page_cache.version
