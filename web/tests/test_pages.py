"""The landing and login pages, each persona's home after logging in, and the language switch."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

# persona -> what its home page shows: the resident's address card, or the workbench with the role label.
HOME = {
    "resident": ["我的住址", "幸福1号楼 101", "所属社区：<strong>幸福社区</strong>", "区住建局", "幸福物业"],
    "partymember": ["我的住址", "还没有登记住址"],
    "gridworker": ["工作台", "网格员 · 幸福一网格"],
    "gridleader": ["工作台", "网格长 · 幸福一网格"],
    "buildinghead": ["工作台", "楼长 · 幸福1号楼"],
    "community": ["工作台", "社区工作者 · 幸福社区"],
    "subdistrict": ["工作台", "街道工作人员 · 东湖街道"],
    "unit": ["工作台", "单位工作人员 · 幸福物业", "我的单位"],
    "district": ["工作台", "区领导 · 示范区"],
    "admin": ["工作台", "系统管理员 · 全区"],
}


def test_landing_page_is_chinese_for_anonymous_visitors(db):
    response = Client().get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "有事找社区" in html
    assert "工作台" not in html


def test_login_page_is_chinese(db):
    response = Client().get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录邻里" in html and "用户名" in html and "密码" in html


@pytest.mark.parametrize("persona", list(HOME))
def test_each_persona_logs_in_and_gets_a_home_for_its_role(world, persona):
    # given the persona at the login form
    client = Client()

    # when they log in with their password
    response = client.post(reverse("login"), {"username": persona, "password": world.password})

    # then they land on the home page that fits their role
    assert response.status_code == 302 and response["Location"] == reverse("home")
    html = client.get(reverse("home")).content.decode()
    for text in HOME[persona]:
        assert text in html, text
    assert getattr(world, f"{persona}_person").name in html
    if persona in ("resident", "partymember"):
        assert "工作台" not in html and reverse("person-list") not in html
    else:
        assert "我的住址" not in html and reverse("area-list") in html


def test_wrong_password_stays_on_the_login_page_with_a_message(world):
    client = Client()
    response = client.post(reverse("login"), {"username": "resident", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_register_pages_ask_anonymous_visitors_to_log_in(db):
    response = Client().get(reverse("area-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_switching_language_to_english(db):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()
