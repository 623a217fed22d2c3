"""The talent bank: registered citizens (people) and the spots, fields and matches they are ranked for (spots);
the bit-mask choices and the areas (fields). Import from here."""

from talentbank.models.fields import (
    AREAS,
    DAYS,
    TIMES,
    WAYS,
    FlagsField,
    FlagsFormField,
    mask_display,
    mask_from,
    mask_labels,
)
from talentbank.models.people import (
    CONSENT_VERSION,
    CONSENTS,
    PURPOSE_OF_USE,
    Cohort,
    Consent,
    Enquiry,
    ErasureRecord,
    Graduate,
    Person,
    PersonQuerySet,
)
from talentbank.models.spots import (
    WEIGHT_AREA,
    WEIGHT_DAYS,
    WEIGHT_FIELD,
    WEIGHT_GRADUATE,
    WEIGHT_SKILL,
    WEIGHT_TIMES,
    WEIGHT_WAYS,
    Field,
    Match,
    MatchQuerySet,
    Spot,
    SpotQuerySet,
    partner_consenting_ids,
)

__all__ = [
    "AREAS", "CONSENTS", "CONSENT_VERSION", "DAYS", "PURPOSE_OF_USE", "TIMES", "WAYS", "WEIGHT_AREA", "WEIGHT_DAYS",
    "WEIGHT_FIELD", "WEIGHT_GRADUATE", "WEIGHT_SKILL", "WEIGHT_TIMES", "WEIGHT_WAYS", "Cohort", "Consent", "Enquiry",
    "ErasureRecord", "Field", "FlagsField", "FlagsFormField", "Graduate", "Match", "MatchQuerySet", "Person",
    "PersonQuerySet", "Spot", "SpotQuerySet", "mask_display", "mask_from", "mask_labels", "partner_consenting_ids",
]
