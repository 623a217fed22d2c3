"""Staff side (市民協働課 only): people, consents, spots, matches, SDGs人材 cohorts, erasure."""

from talentbank.admin import matches, people, programme, spots
from talentbank.admin.spots import suggestion_reasons

__all__ = ["matches", "people", "programme", "spots", "suggestion_reasons"]
