"""No template carries what the Content-Security-Policy refuses (linli/security_headers.py): an inline script, an
event-handler attribute, a style attribute or a <style> block. Put behaviour in a static file (static/forms.js:
data-autosubmit, data-back, data-width, data-indent) and styles in a stylesheet."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "node_modules", "var", ".tools", ".git", "vendor"}
REFUSED = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)", re.I),
    "event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "style block": re.compile(r"<style[\s>]", re.I),
    "javascript: URL": re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I),
}
ALLOWED_SCRIPT_TYPES = re.compile(r'<script[^>]*type="application/(ld\+)?json"', re.I)


def templates() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.html"):
        if not SKIP.intersection(path.relative_to(ROOT).parts) and "templates" in path.parts:
            found.append(path)
    return found


def test_templates_hold_nothing_the_policy_refuses():
    paths = templates()
    assert len(paths) > 50  # the walk finds the project's templates
    offences = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for what, pattern in REFUSED.items():
            for match in pattern.finditer(text):
                if what == "inline script" and ALLOWED_SCRIPT_TYPES.match(match.group(0)):
                    continue  # data for a script ({{ value|json_script }}), never run
                line = text.count("\n", 0, match.start()) + 1
                offences.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not offences, "\n".join(offences)
