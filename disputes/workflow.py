"""The mediation loop in one table: which action may start from which status, and who may take it.

registered → accepted (包案 owner and team) → mediating (sessions) → agreed (协议待签) → following (signed; 跟踪化解
on each term) → closed; a broken term reopens it (mediating again). A mediation that fails is referred (司法所,
诉讼, 仲裁, a department): referred. ``disputes.services`` holds one function per action.
"""

from __future__ import annotations

from disputes.models import Status

S = Status
WORKING = (S.ACCEPTED, S.MEDIATING)

# action -> statuses it may start from. Where it goes is decided by its service.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "accept": (S.REGISTERED,),
    "assign": (S.ACCEPTED, S.MEDIATING, S.AGREED, S.FOLLOWING),
    "session": WORKING,
    "escalate": WORKING,
    "flag_risk": (S.REGISTERED, S.ACCEPTED, S.MEDIATING, S.AGREED, S.FOLLOWING),
    "agree": WORKING,
    "sign": (S.AGREED,),
    "refer": (S.ACCEPTED, S.MEDIATING, S.AGREED),
    "follow_up": (S.FOLLOWING,),
    "close": (S.FOLLOWING,),
    "reopen": (S.CLOSED,),
    "rate": (S.CLOSED, S.REFERRED),
    "withdraw": (S.REGISTERED, S.ACCEPTED, S.MEDIATING),
}

LABELS = {
    "register": "登记",
    "accept": "受理并包案",
    "assign": "调整调解团队",
    "session": "记录调解",
    "escalate": "升级调处",
    "flag_risk": "标记可能激化",
    "agree": "拟定调解协议",
    "sign": "确认协议签字",
    "refer": "调解不成移交",
    "follow_up": "跟踪回访",
    "close": "结案",
    "reopen": "重新调解",
    "rate": "评价",
    "withdraw": "撤销",
    "overdue": "超时",
    "convert": "诉求转为纠纷案件",
}

# Who takes each action (see ``disputes.scope.Actor``): the community's mediation managers, the people working
# the case (its team and owner, the grid's workers, the community's mediators, advisers and police), the parties.
MANAGER_ACTIONS = {"accept", "assign", "escalate", "refer", "close", "reopen", "withdraw"}
WORKER_ACTIONS = {"session", "agree", "sign", "follow_up", "flag_risk"}
