"""Rotating the key of personal data at rest (KESU_FIELD_KEY).

Put the new key first and keep the old one after it (`KESU_FIELD_KEY=new,old`), restart, run
`kesu rotate_field_key`: every encrypted field of every model is written again with the new key, and the keyed
digests that duplicate checks compare (a model's KEYED_DIGESTS: digest column → the field it is computed from) are
recomputed, all in one transaction. Afterwards the old key can be removed. Rows are written with update(), so no
save() side effects (timestamps, history) happen.
"""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from kesu.infra.crypto import EncryptedTextField, digest


@transaction.atomic
def rotate_field_key() -> dict[str, int]:
    """How many rows of each model (app_label.Model) were written again with the first key."""
    counts: dict[str, int] = {}
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if not fields:
            continue
        digests: dict[str, str] = getattr(model, "KEYED_DIGESTS", {})
        rows = model._base_manager.select_for_update().order_by("pk").only("pk", *fields)
        written = 0
        for row in rows.iterator(chunk_size=500):
            values = {name: getattr(row, name) for name in fields}
            values |= {column: digest(values[source]) for column, source in digests.items()}
            model._base_manager.filter(pk=row.pk).update(**values)
            written += 1
        counts[model._meta.label] = written
    return counts
