"""No English UI word on any zh-hans page, for any role: every page a role can reach by links from its home page
on the demo data is fetched, and its visible text (and the placeholders, titles and button values people read)
is searched for English words that are not names, units or file formats."""

import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from conftest import loaded_demo
from ducha.accounts.models import User

PASSWORD = "demo-password-1"
ROLES = ["office", "leader", "jinkeyuan", "zhujianju", "auditor", "sysadmin", "secadmin"]
PAGES_PER_ROLE = 400
PAGES_PER_PATTERN = 2  # /projects/1/ and /projects/2/ are the same template

# Words that are names, not UI: the product, standards, file formats, units of measure, abbreviations.
ALLOWED = {
    "ducha",
    "English",
    "OC4IDS",
    "API",
    "GPS",  # written so in Chinese too (GPS定位)
    "PDF",
    "Excel",
    "Word",
    "xlsx",
    "docx",
    "csv",
    "json",
    "JSON",
    "GWh",
    "MWh",
    "kWh",
    "TOTP",
    "OTP",
    "URL",
    "ECharts",
    "WeCom",
    "DingTalk",
    "GB",
    "IDS",
    "CNY",
    "USD",
    "HKD",
    "EUR",
    "JPY",
    "GBP",
    "IP",
    "ID",
    "SHA",
    "SEC",  # DingTalk's signing secrets begin with it
    "Control",  # keys named in the hint of multiple-choice lists
    "Command",
    "Mac",
    # authenticator apps named on the two-factor page
    "Google",
    "Microsoft",
    "Authenticator",
    "FreeOTP",
    # accepted photo formats
    "jpg",
    "jpeg",
    "png",
}
WORD = re.compile(r"(?<![A-Za-z0-9_./@*+=-])[A-Za-z][A-Za-z]{2,}(?![A-Za-z0-9_./@*+=-])")
SKIPPED_PATHS = re.compile(
    r"^/(static|media|api|i18n|accounts/logout|admin/logout|admin/jsi18n)|"
    r"\.(xlsx|docx|pdf|csv|json|png|jpg|zip)$|/(export|download|template)[^/]*/?$|/attachments?/|"
    # Django's deletion summary names auto-created relation rows ("Group_permissions object") in English
    r"^/admin/.*/delete/$"
)
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        django_icon = tag == "img" and (attributes.get("src") or "").startswith("/static/admin/")
        for name in READ_ATTRIBUTES & attributes.keys():
            if not django_icon:  # Django's admin icons say True/False/Search in their alt text, untranslated
                self.texts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"}:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.texts.append(data)


def _pattern(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _english_words(texts: list[str], names: set[str]) -> set[str]:
    """Each English word found, with the text it stands in (so that a failure says where to look)."""
    found = set()
    for text in texts:
        for word in WORD.findall(text):
            if word not in ALLOWED and word not in names:
                found.add(f"{word} «{' '.join(text.split())[:80]}»")
    return found


def _crawl(client: Client, names: set[str]) -> tuple[dict[str, set[str]], int]:
    queue, queued = ["/"], {"/"}
    per_pattern: defaultdict[str, int] = defaultdict(int)
    english: dict[str, set[str]] = {}
    fetched = 0
    while queue and fetched < PAGES_PER_ROLE:
        path = queue.pop(0)
        response = client.get(path, follow=path == "/")  # an administrator's home is elsewhere
        fetched += 1
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = _Page()
        page.feed(response.content.decode())
        if words := _english_words(page.texts, names):
            english[path] = words
        for href in page.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            pattern = _pattern(parts.path)
            if (
                target in queued
                or SKIPPED_PATHS.search(parts.path)
                or per_pattern[pattern] >= PAGES_PER_PATTERN
            ):
                continue
            if parts.query and per_pattern[pattern] >= 1:
                continue  # a filter of a page already queued
            per_pattern[pattern] += 1
            queued.add(target)
            queue.append(target)
    return english, fetched


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with loaded_demo(django_db_blocker, password=PASSWORD, on_business_date=False):
        yield


def _data_words() -> set[str]:
    """English words inside the data (company and product names such as "SK"), which are not UI."""
    from ducha.indicators.models import Indicator
    from ducha.projects.models import Capacity, Project
    from ducha.units.models import Unit

    texts = [
        *Project.objects.values_list("name", flat=True),
        *Project.objects.values_list("company", flat=True),
        *Project.objects.values_list("description", flat=True),
        *Capacity.objects.values_list("product", flat=True),
        *Capacity.objects.values_list("unit", flat=True),
        *Unit.objects.values_list("name", flat=True),
        *Indicator.objects.values_list("code", flat=True),
        *User.objects.values_list("username", flat=True),  # identifiers, shown for use in imports and the API
    ]
    return {word for text in texts if text for word in WORD.findall(text)}


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_no_english_ui_word_on_any_page(demo, username, settings):
    settings.DUCHA_TODAY = "2020-12-20"
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username=username))
    english, fetched = _crawl(client, _data_words())
    assert fetched > 3
    assert not english, "\n".join(
        f"{path}: {', '.join(sorted(words))}" for path, words in sorted(english.items())
    )
