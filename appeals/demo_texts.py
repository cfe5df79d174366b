"""Texts for demo appeals: real resident messages where the shared data is present, the team's own otherwise.

The real messages (``tipdm2020``) are read from where they lie; they are personal data, so they are used
only to fill a demo database. Each text gets a category code of the demo tree by its label and keywords.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

LABEL_CODES = {
    "城乡建设": "CXJS",
    "环境保护": "HJBH",
    "交通运输": "JTYS",
    "卫生计生": "WSJS",
    "劳动和社会保障": "LDSB",
    "教育文体": "JYWT",
    "商贸旅游": "SMLY",
}

# (category code, keywords), most specific first; the first match wins.
KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("CXJS-DTJZ", ("电梯",)),
    ("CXJS-GS", ("停水", "自来水", "水压", "供水")),
    ("CXJS-GD", ("停电", "供电", "电压")),
    ("CXJS-RQ", ("燃气", "天然气", "煤气")),
    ("CXJS-WYGL", ("物业", "业委会", "业主委员会")),
    ("CXJS-WZJZ", ("违建", "违章", "私搭", "乱建")),
    ("CXJS-LJXQ", ("老旧小区", "改造", "棚改", "拆迁")),
    ("CXJS-AQYH", ("安全隐患", "消防", "危房", "塌")),
    ("CXJS-LLJF", ("邻居", "纠纷", "楼上")),
    ("CXJS-SZSS", ("路灯", "井盖", "下水道", "排水", "积水", "管网")),
    ("HJBH-ZYRM", ("噪音", "噪声", "扰民", "施工到深夜")),
    ("HJBH-LJQY", ("垃圾",)),
    ("HJBH-DQWR", ("油烟", "扬尘", "粉尘", "异味", "臭味", "废气")),
    ("HJBH-SWR", ("污水", "水质", "河道", "排污")),
    ("HJBH-YLLH", ("绿化", "树木", "砍树")),
    ("JTYS-TCGL", ("停车", "车位", "占道停")),
    ("JTYS-GJCX", ("公交", "地铁", "线路", "站点")),
    ("JTYS-DLYH", ("道路", "修路", "路面", "坑洼")),
    ("JTYS-JTZX", ("红绿灯", "交通", "违停", "拥堵", "出租车")),
    ("WSJS-RKJS", ("生育", "计生", "二孩", "准生")),
    ("WSJS-SPYP", ("食品", "药品", "药店")),
    ("WSJS-GGWS", ("疫苗", "防疫", "卫生")),
    ("WSJS-YLFW", ("医院", "医生", "看病", "医保")),
    ("LDSB-QXGZ", ("拖欠", "欠薪", "工资")),
    ("LDSB-SHBX", ("社保", "养老保险", "医疗保险", "公积金")),
    ("LDSB-YLFW", ("养老", "老人", "助餐")),
    ("LDSB-JYPX", ("就业", "招聘", "培训", "失业")),
    ("LDSB-SHJZ", ("低保", "救助", "困难")),
    ("JYWT-XWTG", ("托育", "幼儿园", "托管", "补课")),
    ("JYWT-XXJY", ("学校", "老师", "教师", "学生", "入学", "学位")),
    ("JYWT-GGWH", ("图书馆", "体育场", "文化")),
    ("JYWT-WTHD", ("广场舞", "健身", "活动")),
    ("SMLY-ZDJY", ("占道", "摊贩", "夜市")),
    ("SMLY-XFWQ", ("消费", "退款", "商家", "欺诈", "预付")),
    ("SMLY-SCJG", ("市场", "价格", "超市", "商户")),
    ("SMLY-LYFW", ("旅游", "景区", "酒店")),
]


@dataclass(frozen=True)
class DemoText:
    title: str
    body: str
    category_code: str
    reply: str = ""
    likes: int = 0


def classify(text: str, label: str | None) -> str:
    root = LABEL_CODES.get(label or "")
    for code, words in KEYWORDS:
        if (root is None or code.startswith(root + "-")) and any(w in text for w in words):
            return code
    return root or "CXJS-SQFW"


def _read(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def real_texts(limit: int) -> list[DemoText]:
    folder = Path(settings.SHARED_DATA_DIR) / "tipdm2020"
    out: list[DemoText] = []
    sources = [
        ("dev_raw.csv", "label"),
        ("messages_with_replies.csv", None),
        ("messages_with_likes.csv", None),
    ]
    for name, label_column in sources:
        path = folder / name
        if not path.is_file():
            continue
        for row in _read(path):
            title, body = (row.get("title") or "").strip(), (row.get("body") or "").strip()
            if not title or not body:
                continue
            label = row.get(label_column) if label_column else None
            out.append(
                DemoText(
                    title=title[:120],
                    body=body[:5000],
                    category_code=classify(title + body, label),
                    reply=(row.get("reply") or "").strip()[:2000],
                    likes=int(row.get("likes") or 0),
                )
            )
            if len(out) >= limit:
                return out
    return out


# The team's own sample appeals, used where the real data is absent.
SAMPLES: list[tuple[str, str, str]] = [
    (
        "CXJS-SZSS",
        "小区门口路灯不亮",
        "小区东门外的三盏路灯坏了两个星期，晚上老人出门看不清路，希望尽快修好。",
    ),
    (
        "CXJS-WYGL",
        "物业不及时维修楼道门禁",
        "3 号楼单元门的门禁坏了一个月，物业说报修了但一直没人来，外来人员随意进出。",
    ),
    (
        "CXJS-GS",
        "早高峰水压太低",
        "我家住 6 楼，每天早上七八点水龙头几乎没水，洗漱都成问题，请供水公司查一下。",
    ),
    (
        "CXJS-DTJZ",
        "老楼想加装电梯",
        "我们楼 7 层没有电梯，住着十几位七十岁以上老人，大家都同意加装电梯，不知道怎么申请。",
    ),
    (
        "CXJS-AQYH",
        "楼道堆放杂物有消防隐患",
        "2 单元楼道里堆满了纸箱和旧家具，还有人在楼道给电动车充电，很危险。",
    ),
    (
        "CXJS-LLJF",
        "楼上漏水协商不成",
        "楼上卫生间漏水渗到我家天花板，找了几次楼上住户都不配合，请社区帮忙调解。",
    ),
    ("CXJS-WZJZ", "一楼住户私自扩建院子", "一楼住户把公共绿地圈进自家院子还搭了棚子，挡住了消防通道。"),
    (
        "CXJS-LJXQ",
        "老旧小区改造进度慢",
        "我们小区列入老旧小区改造快一年了，外墙刚刷一半就停工了，什么时候能完工？",
    ),
    ("HJBH-ZYRM", "夜间施工噪音扰民", "小区旁边工地每天晚上十一点以后还在施工，噪音很大，孩子没法睡觉。"),
    ("HJBH-LJQY", "垃圾桶满了没人清", "5 号楼旁边的垃圾桶连续三天没有清运，夏天气味很大，招苍蝇。"),
    ("HJBH-DQWR", "餐馆油烟直排", "临街餐馆的油烟管道直接对着住户窗户排，家里窗户都不敢开。"),
    ("HJBH-YLLH", "小区树木遮挡采光", "楼前几棵大树长得比 4 楼还高，一楼二楼整天见不到太阳，希望修剪。"),
    ("JTYS-TCGL", "小区车位不够乱停车", "小区里车辆乱停，消防通道被堵，救护车进不来，请物业和交警管一管。"),
    ("JTYS-JTZX", "学校门口上下学拥堵", "小学门口上下学时段家长车辆乱停，交通非常拥堵，孩子过马路很危险。"),
    (
        "JTYS-GJCX",
        "希望增设公交站点",
        "小区离最近的公交站要走二十分钟，老人出行很不方便，能否在路口增设站点？",
    ),
    ("JTYS-DLYH", "路面坑洼多年未修", "小区后面的道路坑坑洼洼，下雨天积水严重，电动车经常摔倒。"),
    ("WSJS-YLFW", "社区卫生服务站开放时间短", "卫生服务站下午四点就关门，上班族根本看不上病，能否延长时间？"),
    ("WSJS-GGWS", "小区消杀不到位", "地下室老鼠很多，希望社区组织统一消杀。"),
    ("WSJS-SPYP", "小超市卖过期食品", "小区门口超市货架上有过期的牛奶和面包，希望市场监管部门检查。"),
    (
        "LDSB-YLFW",
        "独居老人需要助餐服务",
        "我母亲八十多岁独居，腿脚不便，想了解社区有没有老年助餐和上门服务。",
    ),
    ("LDSB-QXGZ", "装修工人被拖欠工资", "我在小区装修工地干了三个月，包工头拖欠工资一万多元，一直不给。"),
    ("LDSB-SHBX", "社保转移手续不清楚", "从外地回来工作，社保转移不知道去哪里办，跑了两次都没办成。"),
    (
        "LDSB-SHJZ",
        "困难家庭申请低保",
        "邻居家男主人生病不能工作，孩子还在上学，想问问怎么申请低保和临时救助。",
    ),
    (
        "LDSB-JYPX",
        "想参加就业培训",
        "我失业半年了，想参加社区的技能培训，不知道有没有适合四十多岁的人的课程。",
    ),
    (
        "JYWT-XXJY",
        "孩子入学学位紧张",
        "我们小区划片的小学说学位不够，孩子可能要去很远的学校，希望教育局说明情况。",
    ),
    ("JYWT-XWTG", "放学后无人照看孩子", "双职工家庭孩子放学后没人照看，社区能否开办四点半课堂？"),
    ("JYWT-WTHD", "广场舞音响太吵", "每天晚上广场舞音响开得很大，一直到九点半，影响居民休息。"),
    ("JYWT-GGWH", "社区健身器材损坏", "小区健身器材有两件坏了，螺丝松动，老人使用有危险。"),
    ("SMLY-ZDJY", "早市占道经营", "早上路边摆摊卖菜的占了整条人行道，行人只能走机动车道。"),
    ("SMLY-XFWQ", "健身房倒闭预付卡无法退款", "小区附近的健身房突然关门，办的年卡还有八个月，联系不上老板。"),
    ("SMLY-SCJG", "菜市场缺斤短两", "菜市场有几家摊位秤不准，买一斤菜只有八两。"),
]


def sample_texts() -> list[DemoText]:
    return [DemoText(title=t, body=b, category_code=c) for c, t, b in SAMPLES]
