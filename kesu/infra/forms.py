"""Form fields for numbers with a sensible range (kesu.domain.number_bounds): NaN, Infinity and absurd values
are refused with a Chinese message that names the field and the allowed range."""

from __future__ import annotations

from typing import Any

from django import forms

from kesu.domain.number_bounds import Bound
from kesu.domain.number_text import number_text


def _messages(label: str, bound: Bound) -> dict[str, str]:
    refusal = f"“{label}”应为 {bound.describe()}。"
    return {"invalid": refusal, "min_value": refusal, "max_value": refusal, "step_size": refusal}


class BoundedFloatField(forms.FloatField):
    """A decimal number within `bound`; Django's FloatField already refuses NaN and Infinity.
    `name` is how the message calls the field when the label is long."""

    def __init__(self, *, label: str, bound: Bound, name: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "any"}))
        super().__init__(label=label, min_value=bound.low, max_value=bound.high,
                         error_messages=_messages(name or label, bound), **kwargs)

    def prepare_value(self, value: Any) -> Any:
        """A stored 6.0 is shown as typed, 6 (typed text that failed to parse is shown back unchanged)."""
        return number_text(value, exact=True) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


class BoundedIntegerField(forms.IntegerField):
    def __init__(self, *, label: str, bound: Bound, name: str = "", **kwargs: Any) -> None:
        super().__init__(label=label, min_value=int(bound.low), max_value=int(bound.high),
                         error_messages=_messages(name or label, bound), **kwargs)


class DatePicker(forms.DateInput):
    """The browser's date picker. It only reads ISO dates: rendered in the localised form ("2022/06/24") it shows
    an empty field, and saving the form unchanged wiped the stored date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimePicker(forms.DateTimeInput):
    """The browser's date-and-time picker, which likewise reads only "YYYY-MM-DDTHH:MM"."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
