"""Every main page of every role fits a 390 px phone without sideways scrolling, and no button wraps its label
on a 1366 px office screen — tried in Chromium on the Jintan demo, signed in as each persona of the demo."""

import re
import warnings
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password-1"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}

# Pages owned by other engineers that are still wider than a phone (issue 12 §7). Each entry is a regular
# expression on the path and the reason; the test reports them without failing. Remove an entry once its page is
# fixed: the test then holds the page to the rule.
KNOWN_TOO_WIDE: dict[str, str] = {}
# Pages whose buttons still wrap their label at 1366 px, as above: {path regex: reason}.
KNOWN_WRAPPING: dict[str, str] = {}

# The pages reached from the navigation, and one detail page of each kind, found on the list pages by their links.
DETAIL_PAGES = [
    ("/projects/", r"^/projects/\d+/$"),
    ("/supervision/rounds/", r"^/supervision/rounds/\d+/$"),
    ("/supervision/problems/", r"^/supervision/problems/\d+/$"),
    ("/evaluation/", r"^/evaluation/\d+/$"),
    ("/units/", r"^/units/\d+/$"),
    ("/cockpit/bulletins/", r"^/cockpit/bulletins/\d+/$"),
    ("/indicators/", r"^/indicators/trend/[\w-]+/$"),
]
EXTRA_PAGES = ["/supervision/problems/stats/", "/supervision/inbox/", "/supervision/notices/"]

_LINKS = "els => els.map(a => a.getAttribute('href'))"
# A button wraps when its text takes more than one line: the text's box is taller than 1.5 lines.
_WRAPPED_BUTTONS = """() => {
  const wrapped = [];
  for (const el of document.querySelectorAll('button, .btn, input[type=submit]')) {
    if (!el.offsetParent || !el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.5;
    const range = document.createRange();
    range.selectNodeContents(el);
    const height = range.getBoundingClientRect().height;
    if (height > line * 1.5) wrapped.push(el.textContent.trim().replace(/\\s+/g, ' '));
  }
  return wrapped;
}"""


@pytest.fixture
def demo(transactional_db, settings, monkeypatch):
    """The Jintan demo as `ducha demo` serves it: its data, its users, its business date."""
    settings.DUCHA_TODAY = "2020-12-20"
    monkeypatch.setenv("DUCHA_DEMO_PASSWORD", PASSWORD)
    call_command("demo", load_only=True, stdout=StringIO())


def _main_pages(page) -> list[str]:
    """The role's navigation links, then the first detail page linked from each list the role can open."""
    pages = [page.base_url + "/"]
    for href in page.locator("#nav a.nav-link[href], #nav a.dropdown-item[href]").evaluate_all(_LINKS):
        if href.startswith("/") and not href.startswith(("/admin/", "/api/")):
            pages.append(page.base_url + href)
    paths = {p.removeprefix(page.base_url) for p in pages}
    for list_path, detail in DETAIL_PAGES:
        if list_path not in paths:
            continue
        page.goto(page.base_url + list_path)
        hrefs = page.locator("main a[href]").evaluate_all(_LINKS)
        found = next((h for h in hrefs if re.match(detail, h.split("?")[0])), None)
        assert found, f"no link to a page like {detail} on {list_path}"
        pages.append(page.base_url + found)
    if "/supervision/problems/" in paths:
        pages += [page.base_url + p for p in EXTRA_PAGES]
    return list(dict.fromkeys(pages))


def _known(known: dict[str, str], path: str) -> str | None:
    return next((why for pattern, why in known.items() if re.search(pattern, path)), None)


def test_every_main_page_fits_a_phone_and_no_button_wraps_on_a_desktop(demo, browser_page, sign_in_browser):
    """Each role in turn (the demo is loaded once: a transactional test reloads it per test)."""
    page = browser_page
    too_wide, wrapping, still_known = [], [], []
    for username in ("office", "leader", "jinkeyuan", "zhujianju", "city_office"):
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        sign_in_browser(page, username, PASSWORD)
        urls = _main_pages(page)
        assert len(urls) >= 5, (username, urls)
        for url in urls:
            path = url.removeprefix(page.base_url)
            for viewport in (PHONE, DESKTOP):
                page.set_viewport_size(viewport)
                response = page.goto(url, wait_until="load")
                assert response.ok, f"{username} {path}: {response.status}"
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > viewport["width"] + 1:
                    problem = f"{username} {path} at {viewport['width']} px is {width} px wide"
                    (still_known if _known(KNOWN_TOO_WIDE, path) else too_wide).append(problem)
                if viewport is DESKTOP:
                    for label in page.evaluate(_WRAPPED_BUTTONS):
                        problem = f"{username} {path} at 1366 px: button {label!r} wraps"
                        (still_known if _known(KNOWN_WRAPPING, path) else wrapping).append(problem)
    if still_known:
        warnings.warn("known layout faults on other owners' pages: " + "; ".join(still_known), stacklevel=1)
    assert not too_wide and not wrapping, "\n".join(too_wide + wrapping)
