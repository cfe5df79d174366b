"""What the appeal detail page shows from smart triage: the suggestion (staff who triage or dispatch: the whole
category path with confidences, the unit with why) and the open appeals that may be the same problem (staff and
the resident, with a one-click merge for those who may merge). Pre-selects in the unbound forms: the suggested
category in the triage form when the model is confident (the leaf when the path is, else the level 1), and the
suggested unit in the dispatch form whenever one is suggested (a rule or history names it; the reason is shown
beside the form). Whether staff kept the unit is recorded at dispatch (``triage.services.labelled_example_record``)."""

from __future__ import annotations

from typing import Any

from access.scope import Scope
from appeals.models import OPEN_STATUSES, Appeal
from triage import selectors


def detail_hints(scope: Scope, appeal: Appeal, forms: dict[str, Any]) -> dict[str, Any]:
    triaging = "triage" in forms or "dispatch" in forms
    suggestion = selectors.suggestion_for(appeal) if triaging else None
    preselected_unit = None
    if suggestion is not None:
        triage_form = forms.get("triage")
        if triage_form is not None and not triage_form.is_bound and not appeal.category_id:
            if suggestion.leaf_confident and suggestion.leaf is not None:
                triage_form.initial["category"] = suggestion.leaf.category.pk
            elif suggestion.confident and suggestion.category:
                triage_form.initial["category"] = suggestion.category.pk
        dispatch_form = forms.get("dispatch")
        if dispatch_form is not None and not dispatch_form.is_bound and suggestion.unit is not None:
            dispatch_form.initial["unit"] = suggestion.unit.pk
            preselected_unit = suggestion.unit
    duplicates = selectors.duplicates_for(appeal) if appeal.status in OPEN_STATUSES else []
    return {
        "suggestion": suggestion,
        "preselected_unit": preselected_unit,
        "duplicates": duplicates,
        "can_merge": "merge" in forms,
        "staff": scope.is_staff_like,
    }
