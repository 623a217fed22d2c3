"""The public pages' cache: the guide, the spot list and the empty forms change only when staff edit spots or
fields of activity (and at midnight, when a spot's closing date passes), so they are served from the cache
between writes. A person's registration shows on no public page and must not flush them."""

from kiyose.pagecache import PageCache

page_cache = PageCache("talentbank", watch=["talentbank.Spot", "talentbank.Field"], per_day=True)
