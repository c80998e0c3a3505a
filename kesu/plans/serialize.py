"""The stored plan written back as kesu-plan/1, the same shape `kesu plan parse --json` prints."""

from __future__ import annotations

from django.db.models import Prefetch

from kesu.plans.models import Plan, Responsibility, Section, Task


def _headline(year: int | None, value: float | None, comparator: str | None = None) -> dict | None:
    if year is None or value is None:
        return None
    part: dict = {"year": year, "value": value}
    if comparator is not None:
        part["comparator"] = comparator
    return part


def _names(rows: list[Responsibility], role: str) -> list[str]:
    return [r.written_name for r in rows if r.role == role]


def plan_sections(plan: Plan) -> list[Section]:
    """Sections with tasks, responsibilities (with units) and targets in one round of queries."""
    responsibilities = Responsibility.objects.select_related("unit").order_by("position")
    tasks = Task.objects.order_by("position").prefetch_related(
        Prefetch("responsibilities", queryset=responsibilities), "targets"
    )
    return list(
        plan.sections.order_by("position").prefetch_related(
            Prefetch("tasks", queryset=tasks),
            Prefetch("responsibilities", queryset=responsibilities.filter(task__isnull=True), to_attr="stated"),
        )
    )


def plan_to_dict(plan: Plan, sections: list[Section] | None = None) -> dict:
    sections = plan_sections(plan) if sections is None else sections
    return {
        "format": "kesu-plan/1",
        "title": plan.title,
        "jurisdiction": {"name": plan.jurisdiction.name, "level": plan.jurisdiction.level},
        "issuer": plan.issuer or None,
        "doc_number": plan.doc_number or None,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "period": {"start": plan.period_start, "end": plan.period_end},
        "headline": {
            "baseline": _headline(plan.baseline_year, plan.baseline_value),
            "target": _headline(plan.target_year, plan.target_value, plan.target_comparator),
        },
        "sections": [
            {
                "kind": s.kind,
                "group": s.group,
                "title": s.title,
                "lead": _names(s.stated, "lead"),
                "support": _names(s.stated, "support"),
                "tasks": [
                    {
                        "title": t.title,
                        "lead": _names(list(t.responsibilities.all()), "lead"),
                        "support": _names(list(t.responsibilities.all()), "support"),
                        "targets": [
                            {
                                "indicator": g.indicator, "value": g.value, "unit": g.unit,
                                "comparator": g.comparator, "year": g.year, "annual": g.annual, "text": g.text,
                            }
                            for g in t.targets.all()
                        ],
                    }
                    for t in s.tasks.all()
                ],
            }
            for s in sections
        ],
        "phases": [{"name": p.name, "start": p.start, "end": p.end} for p in plan.phases.order_by("position")],
        "notes": list(plan.parser_notes or []),
    }
