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


def test_each_language_is_offered_in_its_own_words(db):
    # given a visitor on the Chinese pages; then English is offered as "English", not "英语"
    html = Client().get("/").content.decode()
    assert 'lang="en">English</option>' in html and "英语" not in html
    assert "简体中文</option>" in html


@pytest.mark.parametrize("persona", ["community", "subdistrict", "district"])
def test_an_areas_crumbs_name_each_area_once(world, client_for, persona):
    # when staff open 幸福社区's page, then the crumbs run down the tree without naming it twice
    html = client_for(persona).get(reverse("area-detail", args=[world.c1.pk])).content.decode()
    crumbs = html[
        html.index('<nav class="crumbs">') : html.index("</nav>", html.index('<nav class="crumbs">'))
    ]
    assert crumbs.count("幸福社区") == 1 and "示范区" in crumbs and "东湖街道" in crumbs


CODE_NAMES = [
    "grid_worker",
    "community_staff",
    "unit_staff",
    'resident"',
    "is_staff",
    "admin:",
    "None",
    "True",
]


@pytest.mark.parametrize(
    "persona", ["resident", "gridworker", "community", "unit", "subdistrict", "district"]
)
def test_home_and_register_pages_speak_the_users_words(world, client_for, persona):
    client = client_for(persona)
    pages = ["/", "/community/"]
    if persona != "resident":
        pages += [reverse("area-list"), reverse("person-list"), reverse("unit-list")]
    for url in pages:
        html = client.get(url).content.decode()
        text = html.split("<main", 1)[1]  # what the page says, not the attributes of its frame
        for word in CODE_NAMES + ["英语"]:
            assert f">{word}" not in text and f"{word}<" not in text, (url, word)
