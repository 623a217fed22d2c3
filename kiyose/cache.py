"""The kit's own public page (home): it changes only when staff edit an office's contact block, which every
PageCache watches."""

from kiyose.pagecache import PageCache

page_cache = PageCache("kiyose", watch=[])
