"""The public pages' cache: the registry, the holder pages and the CSV change only when the data they show
changes (and at the start of a fiscal year, when "places left this year" moves), so they are served from the
cache between writes."""

from kiyose.pagecache import PageCache

# What the public pages show: certificates in force and their annual reports, the self-check list of the
# application form, and 未来創造課's contact block.
page_cache = PageCache(
    "certification",
    watch=[
        "certification.Certificate",
        "certification.AnnualReport",
        "certification.SelfCheckQuestion",
        "kiyose.Office",
    ],
    per_day=True,
)
