"""Amounts in 万元 and signed changes as the funding pages write them (kesu.domain.funding_rules)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from kesu.domain.funding_rules import wan_text

register = template.Library()


@register.filter
def wan(value: Decimal | None) -> str:
    """12.50 → 12.5, 1200 → 1,200; — when not entered (also when the row itself is missing: "")."""
    return wan_text(value) if isinstance(value, Decimal) else "—"


@register.filter
def signed_percent(value: Decimal | None) -> str:
    """0.125 → +12.5%, -0.1 → −10.0%."""
    if value is None:
        return "—"
    return f"{'+' if value >= 0 else '−'}{abs(value) * 100:.1f}%"
