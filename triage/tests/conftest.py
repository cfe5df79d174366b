"""Fixtures of the triage tests: a model file of their own, the category tree, and a small trained model."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from demo.categories import ensure_categories

# Two kinds of problems residents write about, enough for a small model to tell apart.
NOISE = [
    "楼下广场舞音响太吵",
    "工地晚上施工噪音扰民",
    "饭店油烟直排污染空气",
    "河道污水发臭",
    "垃圾站臭气熏天",
    "工厂排放废气",
]
TRAFFIC = [
    "公交车到站不停",
    "路口红绿灯时间太短",
    "小区门口乱停车堵路",
    "道路坑洼不平需要维修",
    "地铁站出口太远",
    "公交线路绕路",
]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def raw_rows() -> list[list[str]]:
    rows = []
    for i in range(4):
        for text in NOISE:
            rows.append(
                [
                    f"{text}",
                    f"我们小区{text}，已经{i + 2}个月了，严重影响居民休息，请环保部门处理。",
                    "环境保护",
                ]
            )
        for text in TRAFFIC:
            rows.append(
                [
                    f"{text}",
                    f"反映{text}的问题，居民出行很不方便，第{i + 1}次反映，请交通部门解决。",
                    "交通运输",
                ]
            )
    return rows


@pytest.fixture
def model_path(tmp_path, settings) -> Path:
    settings.TRIAGE_MODEL_PATH = tmp_path / "model" / "model.joblib"
    return settings.TRIAGE_MODEL_PATH


@pytest.fixture
def categories(db):
    return ensure_categories()


@pytest.fixture
def trained(model_path, categories, tmp_path):
    from triage.services import model_train

    data = write_csv(tmp_path / "train.csv", ["title", "body", "label"], raw_rows())
    model_train(csv_paths=[data])
    return model_path
