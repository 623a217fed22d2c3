"""The public SDGs pages' cache. Rendering a page computes every KPI's progress; the pages change only when
staff save something in `sdgs` (the version moves) or when a live figure of another app changes (entries
expire after settings.SDGS_PAGE_CACHE_SECONDS)."""

from kiyose.pagecache import PageCache

page_cache = PageCache("sdgs", watch=["sdgs"], timeout_setting="SDGS_PAGE_CACHE_SECONDS")
public_page = page_cache.page
