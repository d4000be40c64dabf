"""The browser-test harness itself: Playwright drives Debian's Chromium, offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_playwright_page_runs_script_in_debian_chromium(page: Page):
    page.set_content("<html lang='fr'><body><p id='p'></p></body></html>")
    page.evaluate("document.getElementById('p').textContent = 'é' + (6 * 7)")
    assert page.locator("#p").inner_text() == "é42"
    assert "Chrome" in page.evaluate("navigator.userAgent")
