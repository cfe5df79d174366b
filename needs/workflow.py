"""The states of the 三库联动 records as transition tables, on the shared step machinery (``linli.steps``):
a step from a state its table does not allow is refused with ``TransitionError`` (409), as in every loop."""

from __future__ import annotations

from linli.steps import Loop
from needs.models import MatchRound, Need, Registration

REGISTRATIONS: Loop[Registration] = Loop(
    model=Registration,
    noun="报到",
    transitions={"end": (Registration.Status.ACTIVE,), "offer": (Registration.Status.ACTIVE,)},
    labels={"end": "退出报到", "offer": "登记供给"},
    key="registration",
)

NEEDS: Loop[Need] = Loop(
    model=Need,
    noun="需求",
    transitions={"assign": (Need.Status.OPEN,), "dispatch": (Need.Status.OPEN,)},
    labels={"assign": "再派单", "dispatch": "按批次派单"},
    key="need",
)

ROUNDS: Loop[MatchRound] = Loop(
    model=MatchRound,
    noun="匹配批次",
    transitions={"adjust": (MatchRound.Status.PROPOSED,), "dispatch": (MatchRound.Status.PROPOSED,)},
    labels={"adjust": "调整匹配", "dispatch": "派单"},
    key="round",
)
