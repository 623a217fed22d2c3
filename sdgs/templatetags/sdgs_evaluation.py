"""{% evaluation_thresholds as t %}: the grade thresholds from settings, for the method page's include (its
view belongs to the rest of sdgs and passes no evaluation context)."""

from django import template

from sdgs.evaluation import rules

register = template.Library()


@register.simple_tag
def evaluation_thresholds() -> dict:
    achieved, mostly = rules.thresholds()
    return {"achieved": achieved.normalize(), "mostly": mostly.normalize()}
