"""The meeting page: who is invited by 1+6+X, attendance checkboxes, minutes and the decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from access.scope import Scope
from deliberation import forms as f
from deliberation import meetings
from deliberation.models import Meeting, Party
from deliberation.selectors import is_runner, visible_meetings
from linli import clock
from linli.errors import ValidationError
from linli.refusals import REFUSALS, refusal


@login_required
def meeting_detail(request, pk: int):
    scope = Scope.of(request.user)
    meeting = get_object_or_404(visible_meetings(scope), pk=pk)
    participants = list(meeting.participants.select_related("person", "unit"))
    runner = is_runner(scope, meeting.topic)
    by_party = [(str(p.label), [x for x in participants if x.party == p]) for p in Party]
    return render(
        request,
        "deliberation/meeting.html",
        {
            "meeting": meeting,
            "topic": meeting.topic,
            "participants": participants,
            "by_party": by_party,
            "runner": runner,
            "planned": meeting.status == Meeting.Status.PLANNED,
            "started": clock.now() >= meeting.starts_at,
            "required": [str(Party(p).label) for p in meetings.required_parties(meeting)],
            "absent": meetings.absent_parties(meeting) if meeting.attendance_at else [],
            "invite_form": f.InviteForm(),
            "minutes_form": f.MinutesForm(),
            "decisions": meeting.decisions.all(),
        },
    )


def _invite_all(user, scope: Scope, meeting: Meeting, invitations: list[tuple[str, str]]) -> int:
    people = scope.persons().filter(community__path__startswith=meeting.topic.community.path)
    units = scope.units()
    with transaction.atomic():
        for party, name in invitations:
            person = people.filter(name=name).first()
            unit = None if person else units.filter(name=name).first()
            meetings.meeting_invite(
                user=user, meeting_id=meeting.pk, party=party, person=person, unit=unit, name=name
            )
    return len(invitations)


@login_required
@require_POST
def meeting_act(request, pk: int, action: str):
    scope = Scope.of(request.user)
    meeting = get_object_or_404(visible_meetings(scope), pk=pk)
    user = request.user
    try:
        if action == "invite":
            form = f.InviteForm(request.POST)
            if not form.is_valid() or not form.invitations():
                raise ValidationError({"invite": "请至少填写一位参会人"})
            n = _invite_all(user, scope, meeting, form.invitations())
            messages.success(request, f"已邀请 {n} 位参会人")
        elif action == "attendance":
            ids = [int(i) for i in request.POST.getlist("attended") if i.isdigit()]
            meetings.meeting_record_attendance(user=user, meeting_id=pk, attended_ids=ids)
            messages.success(request, f"已记录签到：到会 {len(ids)} 人")
        elif action == "minutes":
            minutes_form = f.MinutesForm(request.POST)
            if not minutes_form.is_valid():
                raise ValidationError({"minutes": "请填写会议纪要"})
            meetings.meeting_record_minutes(user=user, meeting_id=pk, **minutes_form.cleaned_data)
            messages.success(request, "已记录会议纪要")
        elif action == "cancel":
            meetings.meeting_cancel(user=user, meeting_id=pk, reason=request.POST.get("reason", ""))
            messages.success(request, "已取消会议")
        else:
            raise Http404
    except REFUSALS as exc:
        refusal(request, exc)
    return redirect("meeting-detail", pk=pk)
