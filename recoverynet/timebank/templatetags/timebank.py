from django import template

from ..models import format_minutes

register = template.Library()


@register.filter
def hours_minutes(minutes):
    """{{ 150|hours_minutes }} → "2 h 30 min"."""
    return format_minutes(minutes or 0)
