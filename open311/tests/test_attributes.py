"""The administrator's questions are checked before they are saved (the admin form calls ``clean``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from open311.models import ServiceAttribute

A = ServiceAttribute.Datatype


@pytest.mark.parametrize(
    "datatype, values, says",
    [
        (A.SINGLEVALUELIST, [], "选项"),
        (A.MULTIVALUELIST, [{"key": "a"}], "选项"),
        (A.SINGLEVALUELIST, [{"key": "a", "name": "甲"}, {"key": "a", "name": "乙"}], "重复"),
        (A.STRING, [{"key": "a", "name": "甲"}], "只有单选和多选"),
        (A.SINGLEVALUELIST, "a,b", "选项"),
    ],
)
def test_a_badly_shaped_question_is_refused(o311, datatype, values, says):
    question = ServiceAttribute(
        category=o311.noise, code="q", datatype=datatype, description="?", values=values
    )
    with pytest.raises(ValidationError, match=says):
        question.full_clean()


def test_a_well_shaped_list_question_passes(o311):
    ServiceAttribute(
        category=o311.noise,
        code="when",
        datatype=A.SINGLEVALUELIST,
        description="几点？",
        values=[{"key": "night", "name": "夜间"}],
    ).full_clean()
