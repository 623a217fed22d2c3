"""The public pages' cache: the calendar, the record and the feed change only when inspection data changes
(and at midnight, when today's date moves the lead time), so they are served from the cache between writes."""

from kiyose.pagecache import PageCache

PAGE_TTL = 300

page_cache = PageCache("inspections", timeout=PAGE_TTL, per_day=True)
cached_public_page = page_cache.page
data_version = page_cache.version
