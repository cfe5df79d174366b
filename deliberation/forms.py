"""Forms of the deliberation pages; they only shape input, the services decide."""

from __future__ import annotations

from django import forms

from deliberation.models import ImplementationTask, Meeting, Party, Satisfaction, Vote
from deliberation.processes import TEMPLATES


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class TopicForm(forms.Form):
    title = forms.CharField(label="议题", max_length=120)
    body = forms.CharField(label="议题说明", widget=forms.Textarea, max_length=5000)
    template = forms.ChoiceField(label="议事流程", choices=[(k, v[0]) for k, v in TEMPLATES.items()])
    building: forms.ModelChoiceField = forms.ModelChoiceField(
        label="涉及楼栋", queryset=None, required=False, empty_label="（不限楼栋）"
    )
    affected_parties = forms.CharField(label="涉及的利益相关方（X）", max_length=300, required=False)

    def __init__(self, *args, buildings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]


class ProposeForm(forms.Form):
    """A resident's proposal, on a phone: a short title, what and why, and optionally their building."""

    title = forms.CharField(
        label="议题", max_length=120, widget=forms.TextInput(attrs={"placeholder": "例如：小区增设快递柜"})
    )
    body = forms.CharField(
        label="说明（是什么问题，希望怎么办）",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    community: forms.ModelChoiceField = forms.ModelChoiceField(label="社区", queryset=None, required=False)
    building: forms.ModelChoiceField = forms.ModelChoiceField(
        label="涉及楼栋（选填）", queryset=None, required=False, empty_label="（不限楼栋）"
    )

    def __init__(self, *args, communities=None, buildings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities  # type: ignore[attr-defined]
        self.fields["community"].empty_label = None  # type: ignore[attr-defined]
        self.fields["building"].queryset = buildings  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    template = forms.ChoiceField(label="议事流程", choices=[(k, v[0]) for k, v in TEMPLATES.items()])


class DeclineForm(forms.Form):
    reason = forms.CharField(label="不予受理的原因", max_length=300)


class AdvanceForm(forms.Form):
    note = forms.CharField(label="说明（选填）", max_length=500, required=False)


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("topic", "议题公示"), ("result", "结果公示")], widget=forms.HiddenInput
    )
    body = forms.CharField(label="公示内容", widget=forms.Textarea, max_length=10000)
    days = forms.IntegerField(label="公示期（天）", min_value=1, max_value=90, initial=7)


class MeetingForm(forms.Form):
    form = forms.ChoiceField(label="会议形式", choices=Meeting.Form.choices)
    title = forms.CharField(label="会议名称", max_length=120)
    place = forms.CharField(label="地点", max_length=200)
    starts_at = forms.DateTimeField(label="时间", widget=DateTimeLocal())
    convenor: forms.ModelChoiceField = forms.ModelChoiceField(label="牵头人（党组织书记）", queryset=None)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convenor"].queryset = people  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    text = forms.CharField(label="决议内容", widget=forms.Textarea, max_length=3000)
    adopted = forms.BooleanField(label="通过", required=False, initial=True)


class VoteForm(forms.Form):
    title = forms.CharField(label="表决事项", max_length=120)
    question = forms.CharField(label="表决内容", widget=forms.Textarea, max_length=3000)
    electorate = forms.ChoiceField(label="谁可以投票", choices=Vote.Electorate.choices, initial="owners")
    buildings: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label="楼栋", queryset=None, required=False
    )
    matter = forms.ChoiceField(
        label="表决规则", choices=Vote.Matter.choices, required=False, initial="ordinary"
    )
    one_per_household = forms.BooleanField(label="每户一票", required=False, initial=True)
    secret = forms.BooleanField(label="不记名投票（截止前不公布结果）", required=False)
    opens_at = forms.DateTimeField(label="开始时间", widget=DateTimeLocal())
    closes_at = forms.DateTimeField(label="截止时间", widget=DateTimeLocal())
    options = forms.CharField(
        label="选项（用逗号分隔，第一项表示同意）", initial="同意，不同意，弃权", max_length=400
    )

    def __init__(self, *args, buildings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buildings"].queryset = buildings  # type: ignore[attr-defined]

    def option_list(self) -> list[str]:
        raw = self.cleaned_data["options"].replace("，", ",").replace("、", ",")
        return [o.strip() for o in raw.split(",") if o.strip()]


class TaskForm(forms.Form):
    title = forms.CharField(label="任务", max_length=200)
    kind = forms.ChoiceField(label="方式", choices=ImplementationTask.Kind.choices)
    owner: forms.ModelChoiceField = forms.ModelChoiceField(label="负责人", queryset=None, required=False)
    unit: forms.ModelChoiceField = forms.ModelChoiceField(label="负责单位", queryset=None, required=False)
    due = forms.DateField(label="完成期限", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, people=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class TaskFinishForm(forms.Form):
    task = forms.IntegerField(widget=forms.HiddenInput)
    report = forms.CharField(label="完成情况", max_length=3000)


class FeedbackForm(forms.Form):
    body = forms.CharField(label="反馈内容", widget=forms.Textarea, max_length=5000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=300)


class EvaluateForm(forms.Form):
    rating = forms.ChoiceField(label="您的评价", choices=Satisfaction.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="意见（选填）", max_length=500, required=False)


class InviteForm(forms.Form):
    """One line per party of 1+6+X: names separated by 、 or commas."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for party in Party:
            if party != Party.CONVENOR:
                self.fields[party.value] = forms.CharField(label=party.label, max_length=300, required=False)

    def invitations(self) -> list[tuple[str, str]]:
        out = []
        for party, raw in self.cleaned_data.items():
            for name in raw.replace("，", "、").replace(",", "、").split("、"):
                if name.strip():
                    out.append((party, name.strip()))
        return out


class MinutesForm(forms.Form):
    minutes = forms.CharField(label="会议纪要", widget=forms.Textarea, max_length=10000)
    decision = forms.CharField(
        label="会议决议（选填）", widget=forms.Textarea, max_length=3000, required=False
    )
