"""The step machinery every loop's services stand on (appeals, projects, disputes, bookings …).

A loop keeps its own transition table as data (action -> the states it may start from) and one service
function per action. Each service function, inside ``transaction.atomic``:

1. ``loop.begin(pk, action, allowed=...)`` locks the row (``select_for_update``), refuses a wrong state first
   (``TransitionError``, 409: of two people acting at once, the loser hears that the record has moved on),
   then an actor without the right (``PermissionDenied``, 403);
2. changes the row and saves it with ``loop.save(obj, "field", ...)`` (``update_fields``: never a stale
   overwrite of fields the step did not touch);
3. writes the event row with ``loop.record(obj, user=..., action=..., from_state=...)``;
4. queues what must happen only if the transaction commits with ``after_commit`` (notifications, tasks).

A record the person may not see is never offered by the loop's selectors, so pages and the API answer 404
before any service is called. Errors are ``linli.errors``; a page shows them with ``linli.refusals``.

Example (the dispute loop)::

    CASES = Loop(model=Case, noun="案件", transitions=TRANSITIONS, labels=LABELS,
                 event_model=CaseEvent, event_fk="case")

    @transaction.atomic
    def case_accept(*, user, case_id: int, owner: Person) -> Case:
        case = CASES.begin(case_id, "accept", allowed=lambda c: may_manage(Scope.of(user), c))
        before = case.status
        case.status, case.owner = Status.ACCEPTED, owner
        CASES.save(case, "status", "owner")
        CASES.record(case, user=user, action="accept", from_state=before)
        after_commit(notify_owner, case.pk)
        return case
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from linli import clock
from linli.errors import PermissionDenied, TransitionError, ValidationError

M = TypeVar("M", bound=models.Model)

WRONG_STATE = "该{noun}当前状态为“{state}”，不能{label}（可能已被他人处理，请刷新）"


@dataclass(frozen=True)
class Loop(Generic[M]):
    """One loop's record, its transition table and its event rows."""

    model: type[M]
    noun: str  # what a person calls one record: 诉求, 项目, 案件, 预约
    transitions: Mapping[str, Iterable[str]]  # action -> states it may start from
    labels: Mapping[str, str]  # action -> its name on a page: 接单, 受理 …
    event_model: type[models.Model] | None = None
    event_fk: str = ""  # the event row's foreign key to the record
    state_field: str = "status"
    related: tuple[str, ...] = ()  # select_related when locking
    key: str = "id"  # the field a missing record is reported on
    # action -> how a wrong state is refused, where the loop words it its own way: a text with {state} (the
    # state's label), {label} and {noun}, or a function of the record (a refusal that names a date); the
    # others get ``WRONG_STATE``
    wrong_state: Mapping[str, str | Callable[[M], str]] = field(default_factory=dict)

    # ---- lock and refuse ----------------------------------------------------------------------------------
    def lock(self, pk: Any) -> M:
        """The row, locked for this transaction; a missing one is bad input (400), not a crash."""
        try:
            return (
                self.model._default_manager.select_for_update(of=("self",))
                .select_related(*self.related)
                .get(pk=pk)
            )
        except (ObjectDoesNotExist, ValueError, TypeError) as exc:
            raise ValidationError({self.key: f"{self.noun}不存在"}) from exc

    def state_label(self, obj: M) -> str:
        display = getattr(obj, f"get_{self.state_field}_display", None)
        return str(display()) if display else str(getattr(obj, self.state_field))

    def check_state(self, obj: M, action: str) -> None:
        if not self.may_start(obj, action):
            wording = self.wrong_state.get(action, WRONG_STATE)
            if callable(wording):
                raise TransitionError(wording(obj))
            raise TransitionError(
                wording.format(noun=self.noun, state=self.state_label(obj), label=self.labels[action])
            )

    def refuse_unless(self, allowed: bool, action: str) -> None:
        if not allowed:
            raise PermissionDenied(f"您没有权限对该{self.noun}执行“{self.labels[action]}”")

    def begin(self, pk: Any, action: str, *, allowed: Callable[[M], bool]) -> M:
        """Lock, then refuse: the wrong state first (409), then the lack of right (403)."""
        obj = self.lock(pk)
        self.check_state(obj, action)
        self.refuse_unless(allowed(obj), action)
        return obj

    def may_start(self, obj: M, action: str) -> bool:
        return getattr(obj, self.state_field) in tuple(self.transitions[action])

    def offered(self, obj: M, may: Callable[[str], bool]) -> list[str]:
        """The actions a page or the API offers now: allowed from this state and by this person."""
        return [a for a in self.transitions if self.may_start(obj, a) and may(a)]

    # ---- save and record ----------------------------------------------------------------------------------
    @staticmethod
    def save(obj: M, *fields: str) -> None:
        if not fields:
            raise ValueError("a step saves the fields it changed, by name")
        obj.save(update_fields=list(fields))

    def record(
        self,
        obj: M,
        *,
        user: Any,
        action: str,
        from_state: str,
        note: str = "",
        at: datetime | None = None,
        **extra: Any,
    ) -> models.Model:
        """The event row of one step: who, when, from which state to which, and why."""
        if self.event_model is None:
            raise ValueError(f"{self.model.__name__} has no event rows")
        values = {
            self.event_fk: obj,
            "at": at or clock.now(),
            "actor": user if getattr(user, "is_authenticated", False) else None,
            "action": action,
            "from_status": from_state,
            "to_status": getattr(obj, self.state_field),
            "note": note,
            **extra,
        }
        return self.event_model._default_manager.create(**values)


def holder_of(model: type[models.Model], pk: Any, fk: str, *, key: str, noun: str) -> Any:
    """The id of the record a row belongs to (a meeting's topic, a nomination's campaign), read without a lock so
    that a step can lock the holder first and the row after it (one lock order); a missing row is bad input
    (400), not a crash."""
    try:
        holder = model._default_manager.filter(pk=pk).values_list(fk, flat=True).first()
    except (ValueError, TypeError):
        holder = None
    if holder is None:
        raise ValidationError({key: f"{noun}不存在"})
    return holder


def after_commit(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run ``fn`` once the step's transaction has committed (never for a step that was rolled back)."""
    transaction.on_commit(lambda: fn(*args, **kwargs))


class StepEvent(models.Model):
    """The columns every loop's event row has; a loop's event model adds its foreign key to the record."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=24)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


__all__ = ["WRONG_STATE", "Loop", "StepEvent", "after_commit", "holder_of"]
