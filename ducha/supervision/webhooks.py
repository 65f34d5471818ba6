"""Group-robot webhooks (WeCom, DingTalk): which addresses may be called, and the one way to call them.

The allow-list `DUCHA_WEBHOOK_HOSTS` names origins (scheme, host, port). Each entry is either

- a bare host name or IP address (`qyapi.weixin.qq.com`, `gateway.example.gov.cn`): https on port 443 only, or
- `scheme://host[:port]` (`http://10.1.2.3:8080`, `https://gateway.example.gov.cn:8443`): exactly that scheme,
  host and port (80 for http and 443 for https when no port is written).

A robot address must use one of these origins. The public robot hosts (`PUBLIC_ROBOT_HOSTS`) must moreover
resolve to public addresses only: if any address one of them resolves to is loopback, private, link-local,
multicast, unspecified or reserved, the message is not sent. Every other listed host was added by the operator on
purpose (an intranet gateway) and may resolve to a private address; an address that is not listed is refused
whatever it resolves to.

`webhook_url_problem` is the check without the network, used when a unit's address is saved and again before
sending; `webhook_post` then resolves the host once, checks every address, connects to the checked address
(no second look-up between the check and the connection), follows no redirect, waits at most
`TIMEOUT_SECONDS` per step, reads at most `ANSWER_READ_LIMIT` bytes of the answer and reports only the HTTP
status and a short reason (the robot's errcode/errmsg when it sends them), never the answer's body.
"""

import base64
import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, quote_plus, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

PUBLIC_ROBOT_HOSTS = ("qyapi.weixin.qq.com", "oapi.dingtalk.com")
DEFAULT_PORTS = {"http": 80, "https": 443}
TIMEOUT_SECONDS = 5
ANSWER_READ_LIMIT = 4096
REASON_MAX_CHARS = 200

Resolver = Callable[..., list[tuple[Any, ...]]]


class WebhookError(Exception):
    """A robot message that was refused or not accepted; str() is the short reason that is logged."""

    def __init__(self, reason: str):
        super().__init__(short_reason(reason))


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str  # lower case, without a trailing dot; an IPv6 address without brackets
    port: int


def short_reason(text: object) -> str:
    """One line of at most REASON_MAX_CHARS printable characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())[:REASON_MAX_CHARS]


def _host(hostname: str) -> str:
    return hostname.lower().rstrip(".")


def origin_parse(entry: str) -> Origin:
    """One allow-list entry → its origin; ValueError for anything else (a path, credentials, another scheme)."""
    text = entry.strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if (
        parts.scheme not in DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ValueError(f"not a host or scheme://host[:port]: {entry!r}")
    return Origin(parts.scheme, _host(parts.hostname), parts.port or DEFAULT_PORTS[parts.scheme])


def allowed_origins(entries: Iterable[str]) -> frozenset[Origin]:
    return frozenset(origin_parse(entry) for entry in entries if entry.strip())


def allowed_hosts_setting() -> list[str]:
    """DUCHA_WEBHOOK_HOSTS, checked: a wrong entry is a configuration error, not a refused message."""
    entries = list(getattr(settings, "DUCHA_WEBHOOK_HOSTS", PUBLIC_ROBOT_HOSTS))
    try:
        allowed_origins(entries)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DUCHA_WEBHOOK_HOSTS: {exc}") from exc
    return entries


def address_kind(address: str) -> str | None:
    """Why an IP address is not a public one ("loopback", "private", …), or None for a public address."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified:
        return pgettext("address", "unspecified")
    if ip.is_loopback:
        return pgettext("address", "loopback")
    if ip.is_link_local:
        return pgettext("address", "link-local")
    if ip.is_multicast:
        return pgettext("address", "multicast")
    if ip.is_private:
        return pgettext("address", "private")
    if ip.is_reserved or not ip.is_global:
        return pgettext("address", "reserved")
    return None


def _literal_kind(host: str) -> str | None:
    """The address kind of an IP literal or of `localhost`; None for a public address or another host name."""
    if host == "localhost" or host.endswith(".localhost"):
        return pgettext("address", "loopback")
    try:
        return address_kind(host)
    except ValueError:
        return None


def webhook_url_problem(url: str, allowed_hosts: Iterable[str]) -> str | None:
    """Why `url` may not be called as a group robot, or None. Pure: no name look-up (see `webhook_post`)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return _("This is not a valid web address.")
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return _("A robot address starts with https://.")
    if parts.username is not None:
        return _("A robot address may not carry a user name or password.")
    origins = allowed_origins(allowed_hosts)
    origin = Origin(parts.scheme, _host(parts.hostname), port or DEFAULT_PORTS[parts.scheme])
    if origin in origins:
        return None
    kind = _literal_kind(origin.host)
    if kind:
        return _(
            "%(host)s is a %(kind)s address; such addresses are refused unless listed in DUCHA_WEBHOOK_HOSTS."
        ) % {"host": origin.host, "kind": kind}
    if any(o.host == origin.host for o in origins):
        if origin.scheme == "http":
            return _("%(host)s may only be called over https.") % {"host": origin.host}
        return _("%(host)s is allowed only with the scheme and port listed in DUCHA_WEBHOOK_HOSTS.") % {
            "host": origin.host
        }
    return _("%(host)s is not an allowed robot host. Allowed: %(allowed)s (setting DUCHA_WEBHOOK_HOSTS).") % {
        "host": origin.host,
        "allowed": ", ".join(sorted({o.host for o in origins})) or "-",
    }


def host_may_be_private(host: str, allowed_hosts: Iterable[str]) -> bool:
    """Whether the operator listed `host` itself (an intranet gateway); the public robot hosts never are."""
    host = _host(host)
    return host not in PUBLIC_ROBOT_HOSTS and any(o.host == host for o in allowed_origins(allowed_hosts))


def resolved_address_problem(host: str, addresses: Iterable[str], allowed_hosts: Iterable[str]) -> str | None:
    """Why the addresses `host` resolved to may not be called, or None. Pure."""
    if host_may_be_private(host, allowed_hosts):
        return None
    for address in addresses:
        kind = address_kind(address)
        if kind:
            return _("%(host)s resolves to a %(kind)s address (%(address)s).") % {
                "host": _host(host),
                "kind": kind,
                "address": address,
            }
    return None


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: base64(HMAC-SHA256(key=secret, message=f"{timestamp}\\n{secret}")), not yet URL-encoded."""
    message = f"{timestamp_ms}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def dingtalk_signed_query(query: str, secret: str, timestamp_ms: int) -> str:
    """The query string with DingTalk's `timestamp` (ms) and URL-encoded `sign` appended."""
    signed = f"timestamp={timestamp_ms}&sign={quote_plus(dingtalk_sign(secret, timestamp_ms))}"
    return f"{query}&{signed}" if query else signed


def log_target(url: str) -> str:
    """The address as logged: origin and path, and a digest instead of the query (it holds the robot's key)."""
    parts = urlsplit(url)
    digest = hashlib.sha256(url.encode()).hexdigest()[:12]
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"[:280] + f" #{digest}"


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an already-checked socket (the Host header still names the host)."""

    def __init__(self, host: str, port: int, *, connect: Callable[[], socket.socket], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._connect_checked = connect

    def connect(self) -> None:
        self.sock = self._connect_checked()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with TLS verified against the host name."""

    def __init__(self, host: str, port: int, *, connect: Callable[[], socket.socket], timeout: float):
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._connect_checked = connect

    def connect(self) -> None:
        self.sock = self._tls.wrap_socket(self._connect_checked(), server_hostname=self.host)


def _connect_first(infos: list[tuple[Any, ...]], timeout: float) -> socket.socket:
    error: OSError = OSError("no address")
    for family, kind, proto, _canonical, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            error = exc
        else:
            return sock
    raise error


def _answer_reason(status: int, phrase: str, body: bytes) -> tuple[bool, str]:
    """Whether the robot accepted the message, and the short reason to log."""
    if 300 <= status < 400:
        return False, f"HTTP {status}: redirect not followed"
    if not 200 <= status < 300:
        return False, f"HTTP {status} {phrase}"
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        answer = None
    if not isinstance(answer, dict) or "errcode" not in answer:
        return True, f"HTTP {status}"
    errcode, errmsg = answer.get("errcode"), answer.get("errmsg", "")
    accepted = errcode in (0, "0")
    return accepted, f"HTTP {status} errcode={short_reason(errcode)[:20]} errmsg={short_reason(errmsg)[:120]}"


def webhook_post(
    url: str,
    payload: dict,
    *,
    secret: str = "",
    allowed_hosts: Iterable[str] | None = None,
    timeout: float = TIMEOUT_SECONDS,
    resolve: Resolver = socket.getaddrinfo,
    now_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
) -> str:
    """POST one robot message; return the short reason on success, raise WebhookError otherwise.

    The URL's fragment (#wecom / #dingtalk) is not sent. With `secret` (a DingTalk SEC… secret) the request
    carries `timestamp` and `sign`.
    """
    allowed = list(allowed_hosts) if allowed_hosts is not None else allowed_hosts_setting()
    problem = webhook_url_problem(url, allowed)
    if problem:
        raise WebhookError(_("refused: %(problem)s") % {"problem": problem})
    parts: SplitResult = urlsplit(url.strip())
    host = parts.hostname or ""
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise WebhookError(f"name look-up failed: {exc}") from exc
    problem = resolved_address_problem(host, [info[4][0] for info in infos], allowed)
    if problem:
        raise WebhookError(_("refused: %(problem)s") % {"problem": problem})

    query = dingtalk_signed_query(parts.query, secret, now_ms()) if secret else parts.query
    target = (parts.path or "/") + (f"?{query}" if query else "")
    body = json.dumps(payload, ensure_ascii=False).encode()
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, connect=lambda: _connect_first(infos, timeout), timeout=timeout)
    try:
        connection.request(
            "POST",
            target,
            body=body,
            headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "ducha-remind"},
        )
        response = connection.getresponse()
        status, phrase, answer = response.status, response.reason, response.read(ANSWER_READ_LIMIT)
    except (OSError, http.client.HTTPException) as exc:
        raise WebhookError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()
    accepted, reason = _answer_reason(status, phrase, answer)
    if not accepted:
        raise WebhookError(reason)
    return reason
