"""The client's address, for the audit trail, the sign-in lock-out and the records of who did what.

Behind a reverse proxy, REMOTE_ADDR is the proxy's. X-Forwarded-For is believed only when the request comes
from an address in DUCHA_TRUSTED_PROXIES; otherwise anyone could write any address into it. The middleware
puts the real client's address into REMOTE_ADDR and removes the header, so that everything downstream
(django-auditlog, django-axes) reads one trustworthy value.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def _trusted(address: str, proxies: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def forwarded_client(remote_addr: str, forwarded_for: str, proxies: list[str]) -> str:
    """The first address, from the right, that is not one of our proxies; the peer's own when it is not a proxy."""
    if not proxies or not _trusted(remote_addr, proxies):
        return remote_addr
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _trusted(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote_addr  # a malformed header: keep what the socket says
    return remote_addr


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        meta["REMOTE_ADDR"] = forwarded_client(
            meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR", ""), settings.DUCHA_TRUSTED_PROXIES
        )
        for header in FORWARDED_HEADERS:
            meta.pop(header, None)
        return self.get_response(request)
