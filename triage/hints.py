"""What the appeal detail page shows from smart triage: the suggestion (staff who triage or dispatch) and the
open appeals that may be the same problem (staff and the resident). Pre-selects the suggested category and unit
in the unbound triage and dispatch forms when the model is confident."""

from __future__ import annotations

from typing import Any

from access.scope import Scope
from appeals.models import OPEN_STATUSES, Appeal
from triage import selectors


def detail_hints(scope: Scope, appeal: Appeal, forms: dict[str, Any]) -> dict[str, Any]:
    triaging = "triage" in forms or "dispatch" in forms
    suggestion = selectors.suggestion_for(appeal) if triaging else None
    if suggestion is not None and suggestion.confident:
        triage_form = forms.get("triage")
        if (
            triage_form is not None
            and not triage_form.is_bound
            and not appeal.category_id
            and suggestion.category
        ):
            triage_form.initial["category"] = suggestion.category.pk
        dispatch_form = forms.get("dispatch")
        if dispatch_form is not None and not dispatch_form.is_bound and suggestion.unit is not None:
            dispatch_form.initial["unit"] = suggestion.unit.pk
    duplicates = selectors.duplicates_for(appeal) if appeal.status in OPEN_STATUSES else []
    return {
        "suggestion": suggestion,
        "duplicates": duplicates,
        "can_merge": "merge" in forms,
        "staff": scope.is_staff_like,
    }
