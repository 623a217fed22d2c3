# The initial migration (history: never edited) imports FlagsField from this path; the field lives in models.
from talentbank.models.fields import FlagsField

__all__ = ["FlagsField"]
