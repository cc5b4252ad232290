"""Fetching a URL that someone else chose, without becoming a proxy into our network.

A coordinator types a feed's address; a feed's website chooses where it
redirects. Either could point at our database, a cloud metadata service
(169.254.169.254) or anything else on the inside. So, for every hop:

- the URL must be http(s), with a host, no user name or password, and a port
  from ALLOWED_PORTS (an https page may not redirect to plain http);
- the host is resolved exactly once, and every address it resolves to must be
  globally routable (`is_public_address`);
- the socket connects to one of the addresses just checked, never to the
  name (no second lookup, so DNS rebinding has nothing to rebind). Host
  header, TLS SNI and certificate verification still use the host name.

Redirects are followed by hand, at most MAX_REDIRECTS. One deadline covers
the whole fetch, all hops together (not each read: a server dripping a byte
at a time cannot keep us), and one byte budget covers every body read.
Environment proxies are not used. The name lookup itself is the system
resolver's and is not cut short by the deadline (the deadline is checked
right after it).
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.core.exceptions import ValidationError

MAX_REDIRECTS = 5
ALLOWED_PORTS = frozenset({80, 443, 8080, 8443})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
READ_CHUNK = 64 * 1024
USER_AGENT = "RecoveryNet feed import"

TOO_LONG = "The feed's website took too long to answer. Try again later, or upload the file."
COULD_NOT_FETCH = "We could not fetch the feed from its address. Try again later, or upload the file."

_HOST_RE = re.compile(r"[a-z0-9.-]+|[0-9a-f:.]+", re.ASCII)  # a name, or an IP literal (brackets removed)
_PATH_SAFE = "/%:@!$&'()*+,;=~-._?[]"

_clock = time.monotonic  # replaced by a fake clock in tests

_NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"),)
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")


class FeedFetchError(ValidationError):
    """The feed could not be fetched; the message is for the coordinator."""


def _fail(message: str):
    raise FeedFetchError(message)


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for a globally routable unicast address. Embedded IPv4
    addresses (IPv4-mapped, 6to4, NAT64) are judged as the IPv4 they reach."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public_address(address.ipv4_mapped)
        if address.sixtofour is not None:
            return is_public_address(address.sixtofour)
        if address in _NAT64_PREFIXES[0]:
            return is_public_address(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.teredo is not None or address in _NAT64_LOCAL:
            return False
        if address.is_site_local:
            return False
    if address.version == 4 and address in _SHARED_ADDRESS_SPACE:
        return False
    return bool(
        address.is_global
        and not address.is_private
        and not address.is_loopback
        and not address.is_link_local
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
    )


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str
    port: int
    path: str


def check_url(url: str) -> Target:
    """The parts of a URL we may fetch, or FeedFetchError."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError:
        _fail("The feed's address is not a valid web address.")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        _fail("The feed's address must start with https:// (or http://).")
    if parts.username is not None or parts.password is not None:
        _fail("The feed's address must not contain a user name or password.")
    port = port or (443 if parts.scheme == "https" else 80)
    if port not in ALLOWED_PORTS:
        _fail("The feed's address must use a usual web port (443, 80, 8443 or 8080).")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        _fail("The feed's address is not a valid web address.")
    if not _HOST_RE.fullmatch(host):
        _fail("The feed's address is not a valid web address.")
    # Non-ASCII and spaces are sent percent-encoded; what is already encoded stays as it is.
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=_PATH_SAFE)
    return Target(url=url, scheme=parts.scheme, host=host, port=port, path=path)


def check_address_syntax(url: str) -> Target:
    """check_url, and an address written as an IP must be public: what can be
    told without looking a name up (for forms)."""
    target = check_url(url)
    try:
        literal = ipaddress.ip_address(target.host)
    except ValueError:
        return target
    if not is_public_address(literal):
        _fail("The feed's address must be a public web address.")
    return target


def check_redirect(current_url: str, location: str) -> Target:
    """The next hop of a redirect from `current_url`, checked like the first."""
    if not location:
        _fail("The feed's website sent a redirect without an address.")
    next_url = urljoin(current_url, location.strip())
    target = check_url(next_url)
    if urlsplit(current_url).scheme == "https" and target.scheme != "https":
        _fail("The feed's website redirected from https to plain http; use its https address.")
    return target


def resolve(host: str, port: int) -> list[tuple]:
    """Look the host up once; every answer must be public. The answers are
    what we connect to: nothing resolves the name again."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError, OSError):
        _fail("We could not find the feed's website. Check its address.")
    if not infos:
        _fail("We could not find the feed's website. Check its address.")
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not is_public_address(address):
            _fail("The feed's address must be a public web address.")
    return infos


def _open_socket(address: tuple, timeout: float) -> socket.socket:
    """A TCP socket connected to exactly this getaddrinfo answer."""
    family, socktype, proto, _, sockaddr = address
    sock = socket.socket(family, socktype, proto)
    try:
        sock.settimeout(timeout)
        sock.connect(sockaddr)
    except BaseException:
        sock.close()
        raise
    return sock


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the given, already checked address; the Host header is the name.
    `on_socket` is told of the socket as soon as it exists (the deadline's watchdog)."""

    def __init__(self, host, port, *, address, on_socket=None, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address
        self.on_socket = on_socket or (lambda sock: None)

    def connect(self):
        self.sock = _open_socket(self.address, self.timeout)
        self.on_socket(self.sock)


class PinnedHTTPSConnection(PinnedHTTPConnection, http.client.HTTPSConnection):
    """As PinnedHTTPConnection, with TLS whose SNI and certificate check use the name."""

    def __init__(self, host, port, *, address, context, on_socket=None, **kwargs):
        super().__init__(host, port, address=address, on_socket=on_socket, context=context, **kwargs)
        self.tls_context = context

    def connect(self):
        raw = _open_socket(self.address, self.timeout)
        try:
            self.sock = self.tls_context.wrap_socket(raw, server_hostname=self.host, do_handshake_on_connect=False)
            self.on_socket(self.sock)  # before the handshake, so a slow handshake meets the deadline too
            self.sock.do_handshake()
        except BaseException:
            raw.close()
            raise


def default_tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


class _Deadline:
    """One time limit for the whole fetch. A watchdog shuts the open socket
    down when it passes, so a slow header or body cannot outlast it."""

    def __init__(self, seconds: float):
        self.ends = _clock() + seconds
        self.expired = False
        self._timer = None

    def remaining(self) -> float:
        left = self.ends - _clock()
        if left <= 0:
            self.expired = True
            _fail(TOO_LONG)
        return left

    def watch(self, sock):
        self.cancel()

        def expire():
            self.expired = True
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

        self._timer = threading.Timer(max(self.ends - _clock(), 0), expire)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self):
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def _connect(target: Target, deadline: _Deadline):
    addresses = resolve(target.host, target.port)
    last_error = None
    for address in addresses:
        kwargs = {"address": address, "timeout": deadline.remaining(), "on_socket": deadline.watch}
        if target.scheme == "https":
            connection = PinnedHTTPSConnection(target.host, target.port, context=default_tls_context(), **kwargs)
        else:
            connection = PinnedHTTPConnection(target.host, target.port, **kwargs)
        try:
            connection.connect()
        except (OSError, ssl.SSLError) as exc:
            last_error = exc
            connection.close()
            continue
        return connection
    raise last_error or OSError("no address")


def _read_body(response, sock, deadline: _Deadline, budget: int) -> bytes:
    too_large = f"The feed is too large; the most we accept is {max(budget // (1024 * 1024), 1)} MB."
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > budget:
        _fail(too_large)
    chunks, size = [], 0
    while True:
        sock.settimeout(deadline.remaining())
        chunk = response.read1(READ_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > budget:
            _fail(too_large)
        chunks.append(chunk)
        deadline.remaining()
    # The watchdog ends a late read as if the body had ended: that is a timeout, not a short feed.
    deadline.remaining()
    if deadline.expired:
        _fail(TOO_LONG)
    if response.length:  # fewer bytes than Content-Length promised: the connection broke
        _fail(COULD_NOT_FETCH)
    return b"".join(chunks)


def fetch(url: str, *, max_bytes: int, timeout: float) -> bytes:
    """The body at `url` (GET), following up to MAX_REDIRECTS checked
    redirects, at most `max_bytes`, within `timeout` seconds in all.
    FeedFetchError with a message for a person otherwise."""
    deadline = _Deadline(timeout)
    target = check_url(url)
    try:
        for hop in range(MAX_REDIRECTS + 1):
            connection = _connect(target, deadline)
            try:
                sock = connection.sock
                sock.settimeout(deadline.remaining())
                connection.request(
                    "GET",
                    target.path,
                    headers={"User-Agent": USER_AGENT, "Accept": "application/json", "Accept-Encoding": "identity"},
                )
                response = connection.getresponse()
                if response.status in REDIRECT_STATUSES:
                    if hop == MAX_REDIRECTS:
                        _fail(f"The feed's address redirected more than {MAX_REDIRECTS} times.")
                    target = check_redirect(target.url, response.getheader("Location") or "")
                    continue
                if not 200 <= response.status < 300:
                    _fail(f"The feed's website answered with an error ({response.status}).")
                return _read_body(response, sock, deadline, max_bytes)
            finally:
                deadline.cancel()
                connection.close()
    except FeedFetchError:
        raise
    except (OSError, ssl.SSLError, http.client.HTTPException, ValueError) as exc:
        if deadline.expired or isinstance(exc, TimeoutError):
            _fail(TOO_LONG)
        if isinstance(exc, ssl.SSLCertVerificationError):
            _fail("The feed's website has no valid certificate for its address (https).")
        _fail(COULD_NOT_FETCH)
    finally:
        deadline.cancel()  # also when every address of a hop failed to connect
    raise AssertionError("unreachable")  # pragma: no cover
