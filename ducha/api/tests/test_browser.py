"""In Chromium: the API documentation draws itself from the app's own files, under the site's CSP."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def test_api_documentation_renders_offline_for_a_signed_in_user(browser_page, sign_in_browser, park_user):
    page = browser_page
    origin = urlsplit(page.base_url).netloc
    foreign, failed, refused = [], [], []
    page.on("request", lambda r: urlsplit(r.url).netloc not in ("", origin) and foreign.append(r.url))
    # Chromium asks for /favicon.ico on its own; the page names its icons.
    page.on(
        "response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and failed.append(r.url)
    )
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))

    sign_in_browser(page, park_user.username)
    page.goto(page.base_url + "/api/docs")
    page.locator(".opblock-summary-path", has_text="/api/projects").first.wait_for()
    assert (foreign, failed, refused) == ([], [], [])
