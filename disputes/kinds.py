"""The starting list of dispute kinds (the five every seed names, and 其他), each with its time limit in working
days. The migration ``0002_kinds`` writes it once; ``ensure_kinds`` puts back what is missing (a flushed test
database, a demo); the administrator edits the list in the admin."""

from __future__ import annotations

from disputes.models import DisputeKind

KINDS = [
    ("neighbour", "邻里纠纷", 10),
    ("family", "婚姻家庭纠纷", 15),
    ("property", "物业纠纷", 15),
    ("labour", "劳资纠纷", 10),
    ("land_house", "土地房屋纠纷", 20),
    ("other", "其他纠纷", 15),
]


def ensure_kinds() -> list[DisputeKind]:
    return [
        DisputeKind.objects.get_or_create(
            code=code, defaults={"name": name, "working_days": days, "order": i}
        )[0]
        for i, (code, name, days) in enumerate(KINDS)
    ]
