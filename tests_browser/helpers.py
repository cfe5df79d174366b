"""Page helpers for the browser tests: the two viewports, signing in and out, and screenshots for the README."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page

from demo.logins import DEMO_PASSWORD

# The clock of every browser test (linli.clock.travel): the second day of a month, when the month shown by
# default is the last full one and the current month has hardly begun.
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="登录").click()
    assert "/login/" not in page.url, (
        f"{username} could not log in: {page.locator('.error').all_inner_texts()}"
    )


def logout(page: Page) -> None:
    with page.expect_navigation():
        page.click("header .user button.link")


def shoot(page: Page, name: str, full_page: bool = False, artifact: bool = False) -> Path:
    """A screenshot for the README (docs/screenshots/), or with ``artifact`` one to look at after a run that the
    repository does not keep (test-artifacts/screenshots/, ignored by git)."""
    folder = ARTIFACTS if artifact else SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
    return path


def answer_confirm(page: Page, accept: bool = True) -> list[str]:
    """Answer the next confirm() the page asks (a step with data-confirm, static/confirm.js): accept it, or dismiss
    it as a person who thinks again would. The returned list receives the question asked, to check its words.
    Without this Playwright dismisses every dialog, so an irreversible step would silently not happen."""
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    return asked
