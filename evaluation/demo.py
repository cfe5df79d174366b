"""Demo step (``demo.loader.DEMO_STEPS``): draw the demo district's grids, then count its appeals."""

from __future__ import annotations

from typing import Any, TextIO

from evaluation.rebuild import rebuild_figures
from evaluation.shapes import draw_grids


def load_demo_figures(demo: Any, stdout: TextIO | None = None) -> None:
    """Idempotent: draws only grids without a shape; the rebuild recounts the same rows to the same figures."""
    drawn = draw_grids(demo.district)
    facts, cells = rebuild_figures()
    if stdout:
        stdout.write(f"网格边界：新画 {drawn} 个；统计：{facts} 件诉求和服务单，{cells} 个统计单元\n")
