"""The shared vocabulary of service types (服务类型): what kind of help a need asks for and an offer gives.

Categories say what a matter is about (城乡建设 / 邻里纠纷); a service type says what has to be done for the
person (法律咨询, 上门维修). A need is matched only to an offer giving its service type (``needs.matching``),
so a dripping tap never goes to a lawyer because both sit under 城乡建设.
"""

from __future__ import annotations

from django.db import models


class ServiceType(models.TextChoices):
    HOME_REPAIR = "home_repair", "上门维修（水电、门窗）"
    FACILITY = "facility", "公共设施维修（楼道、健身器材）"
    ELECTRICAL_SAFETY = "electrical_safety", "用电安全检查"
    LEGAL = "legal", "法律咨询与调解"
    POLICY = "policy", "政策咨询（就业、社保）"
    CARE_VISIT = "care_visit", "助老助残（探访、助餐）"
    ERRANDS = "errands", "代购代办（代买、代缴）"
    MEDICAL_ESCORT = "medical_escort", "陪同就医"
    HEALTH = "health", "健康随访"
    CHILDCARE = "childcare", "课业辅导与托管"
    DIGITAL = "digital", "手机电脑教学"
    RELIEF = "relief", "困难帮扶"


def labels(codes) -> str:
    """The names of some service types, joined for a line of text."""
    names = dict(ServiceType.choices)
    return "、".join(str(names.get(c, c)) for c in codes)
