"""Fictional but ordinary Chinese names and mobile numbers, drawn from a seeded ``random.Random``."""

from __future__ import annotations

import random

# The most common surnames, most frequent first (weights fall off roughly as in the population).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
SURNAME_WEIGHTS = [max(1.0, 30.0 - i) for i in range(len(SURNAMES))]

# Given-name characters by generation taste: older people and younger people are named differently.
GIVEN_OLD = {
    "F": "秀英桂兰玉兰凤英淑珍秀兰秀珍玉珍桂英凤兰素云桂芳春梅金凤翠英",
    "M": "建国德明志强国华建华振华国庆文华永福学文宝山德胜长林福生俊峰",
}
GIVEN_MIDDLE = {
    "F": "丽红艳敏静娟霞燕芳玲慧颖洁琳雪梅萍",
    "M": "伟强军勇磊涛斌刚明辉杰鹏超峰波华亮",
}
GIVEN_YOUNG = {
    "F": "欣怡梓涵思雨可馨雨桐一诺语嫣若曦佳怡紫萱",
    "M": "浩然子轩宇航梓豪俊熙一鸣子墨睿泽皓轩铭宇",
}

MOBILE_PREFIXES = (
    [f"13{d}" for d in range(10)]
    + ["150", "151", "152", "153", "155", "156", "157", "158", "159"]
    + [f"18{d}" for d in range(10)]
)


class NameMaker:
    """Names and unique mobile numbers from one seeded generator, so a run is reproducible."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._phones: set[str] = set()

    def surname(self) -> str:
        return self.rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]

    def given(self, gender: str, birth_year: int) -> str:
        if birth_year < 1965:
            pool = GIVEN_OLD[gender]
            # old-style names come in pairs of characters ("秀英", "建国")
            start = 2 * self.rng.randrange(len(pool) // 2)
            return pool[start : start + 2]
        if birth_year < 1995:
            pool = GIVEN_MIDDLE[gender]
            return self.rng.choice(pool) if self.rng.random() < 0.5 else "".join(self.rng.sample(pool, 2))
        pool = GIVEN_YOUNG[gender]
        start = 2 * self.rng.randrange(len(pool) // 2)
        return pool[start : start + 2]

    def name(self, gender: str, birth_year: int, surname: str | None = None) -> str:
        return (surname or self.surname()) + self.given(gender, birth_year)

    def mobile(self) -> str:
        """A valid-looking 11-digit mobile number (13x, 15x, 18x), never the same twice in one run."""
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self._phones:
                self._phones.add(phone)
                return phone
