"""The deliberation loop as data: which step may start from which state, for a topic and for the records a topic
holds (its meetings, votes and implementation tasks), what each step is called, and how a wrong state is said.

proposed (a resident's proposal) → active (on a process template's steps: 六步流程 or 五议工作法) → done; a
proposal may be declined, a proposed or active topic closed. A topic's meetings are planned → held or cancelled,
its votes open → closed, its tasks open → done or cancelled. ``deliberation.steps`` holds the loops on
``linli.steps``; the services (``services``, ``meetings``, ``voting``, ``implementation``) one function per step.
"""

from __future__ import annotations

from django.utils import timezone

from deliberation.models import ImplementationTask, Meeting, Topic, Vote

T = Topic.Status
PROPOSAL = (T.PROPOSED,)
ACTIVE = (T.ACTIVE,)

# ---- the topic ----------------------------------------------------------------------------------------------
# action -> states it may start from. Where it goes is decided by its service.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "accept": PROPOSAL,
    "decline": PROPOSAL,
    "close": (T.PROPOSED, T.ACTIVE),
    "advance": ACTIVE,
    "notice": ACTIVE,
    "meeting": ACTIVE,
    "decision": ACTIVE,
    "vote_open": ACTIVE,
    "task": ACTIVE,
    "feedback": ACTIVE,
}

# action -> what a refusal says the step is (不能受理, 不能进入下一步 …)
LABELS = {
    "accept": "受理",
    "decline": "不予受理",
    "close": "终止",
    "advance": "进入下一步",
    "notice": "发布公示",
    "meeting": "安排议事会议",
    "decision": "记录决议",
    "vote_open": "发起表决",
    "task": "安排实施任务",
    "feedback": "反馈情况",
}

WRONG_STATE = {
    **{action: "议题当前“{state}”，不能{label}" for action in TRANSITIONS},
    **{action: "议题当前“{state}”，不是待受理的提议，不能{label}" for action in ("accept", "decline")},
}

# action -> what only the community's staff may do, as the 403 says it (只有幸福社区的社区工作者可以…)
RUNNER_STEPS = {
    "accept": "受理议题",
    "decline": "处理居民提议",
    "close": "终止议题",
    "advance": "推进议事流程",
    "notice": "发布公示",
    "meeting": "安排议事会议",
    "invite": "邀请参会人",
    "attendance": "记录签到",
    "minutes": "记录会议纪要",
    "meeting_cancel": "取消会议",
    "decision": "记录决议",
    "vote_open": "发起表决",
    "paper_ballot": "录入纸质选票",
    "vote_close": "结束表决",
    "task": "安排实施任务",
    "task_done": "登记任务完成",
    "feedback": "反馈情况",
}

# The timeline's names of every event row a topic gets (its own steps and its records').
EVENT_LABELS = {
    "propose": "居民提议",
    "create": "确定议题",
    "accept": "受理提议",
    "decline": "不予受理",
    "advance": "进入下一步",
    "finish": "流程完成",
    "close": "终止议题",
    "notice": "发布公示",
    "meeting": "安排会议",
    "invite": "邀请参会",
    "attendance": "记录签到",
    "minutes": "会议纪要",
    "meeting_cancel": "取消会议",
    "decision": "形成决议",
    "vote_open": "发起表决",
    "vote_close": "表决结束",
    "paper_ballot": "录入纸质票",
    "task": "安排实施任务",
    "task_done": "任务完成",
    "task_cancel": "任务取消",
    "feedback": "反馈情况",
    "evaluate": "群众评议",
}


def when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# ---- a topic's meetings -------------------------------------------------------------------------------------
PLANNED = (Meeting.Status.PLANNED,)
MEETING_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "invite": PLANNED,
    "attendance": PLANNED,
    "minutes": PLANNED,
    "meeting_cancel": PLANNED,
}
MEETING_LABELS = {
    "invite": "邀请参会人",
    "attendance": "记录签到",
    "minutes": "记录会议纪要",
    "meeting_cancel": "取消",
}
MEETING_WRONG_STATE = {
    "invite": "会议{state}，不能再邀请参会人",
    "attendance": "会议{state}，签到已不能修改",
    "minutes": "会议{state}，纪要已不能修改",
    "meeting_cancel": "会议{state}，不能取消",
}

# ---- a topic's votes ----------------------------------------------------------------------------------------
VOTE_OPEN = (Vote.Status.OPEN,)
VOTE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "cast": VOTE_OPEN,
    "paper_ballot": VOTE_OPEN,
    "vote_close": VOTE_OPEN,
}
VOTE_LABELS = {"cast": "投票", "paper_ballot": "录入纸质选票", "vote_close": "结束表决"}


def _ballots_over(vote: Vote) -> str:
    return f"表决已于 {when(vote.closes_at)} 截止，选票不能再投、不能更改"


VOTE_WRONG_STATE = {
    "cast": _ballots_over,
    "paper_ballot": _ballots_over,
    "vote_close": lambda vote: f"表决已于 {when(vote.closed_at or vote.closes_at)} 结束，结果不能更改",
}

# ---- a topic's implementation tasks -------------------------------------------------------------------------
TASK_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "task_done": (ImplementationTask.Status.OPEN,),
    "task_cancel": (ImplementationTask.Status.OPEN,),
}
TASK_LABELS = {"task_done": "登记完成", "task_cancel": "取消"}
TASK_WRONG_STATE = {action: "任务{state}" for action in TASK_TRANSITIONS}
