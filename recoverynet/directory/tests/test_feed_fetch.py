"""Fetching a feed from its URL without becoming a proxy into our own network.

No test here reaches the internet. Name resolution is faked (`fake_dns`), and
every outgoing `socket.connect` is recorded and then sent to a small HTTP
server on 127.0.0.1 (`feed_server`), whatever address the code asked for: the
code under test decides which address to connect to, and the test reads that
decision from `connects`. Addresses that must be refused are never contacted.
"""

import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from recoverynet.directory import safe_fetch
from recoverynet.directory.services import feeds

PUBLIC_IP = "93.184.215.14"
OTHER_PUBLIC_IP = "151.101.1.140"


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}
    seen_hosts: list = []

    def do_GET(self):  # noqa: N802 - the standard library's name
        self.seen_hosts.append(self.headers.get("Host"))
        route = self.routes.get(self.path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, headers, body = route
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if callable(body):
            self.end_headers()
            body(self.wfile)
            return
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    """An HTTP server on 127.0.0.1; `routes` maps a path to (status, headers, body)."""
    handler = type("Handler", (_Handler,), {"routes": {}, "seen_hosts": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def connects(feed_server):
    """Every socket.connect is recorded, then made to the local test server instead."""
    recorded = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        recorded.append(address[0])
        if sock.family != socket.AF_INET:
            raise OSError("test: IPv4 only")
        return real_connect(sock, ("127.0.0.1", feed_server.server_address[1]))

    with mock.patch.object(socket.socket, "connect", connect):
        yield recorded


@pytest.fixture
def fake_dns():
    """Host name → list of answers (each answer a list of IPs, one answer per lookup)."""
    answers: dict[str, list] = {}
    calls: list[str] = []

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):  # noqa: A002 - socket's signature
        calls.append(host)
        try:
            ipaddress.ip_address(host)
            ips = [host]
        except ValueError:
            queue = answers.get(host)
            if not queue:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
            ips = queue.pop(0) if len(queue) > 1 else queue[0]
        result = []
        for ip in ips:
            if ipaddress.ip_address(ip).version == 4:
                result.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port or 0)))
            else:
                result.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, port or 0, 0, 0)))
        return result

    with mock.patch.object(socket, "getaddrinfo", getaddrinfo):
        yield answers, calls


def route(server, path, status=200, body=b"[]", **headers):
    server.RequestHandlerClass.routes[path] = (status, {k.replace("_", "-"): v for k, v in headers.items()}, body)


def redirect(server, path, location, status=302):
    route(server, path, status, b"", Location=location)


def test_fetches_from_the_checked_address_with_the_right_host_header(feed_server, connects, fake_dns):
    answers, calls = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    route(feed_server, "/meetings.json", body=b'[{"name": "x"}]')
    assert feeds.fetch_feed("http://feed.example/meetings.json") == b'[{"name": "x"}]'
    assert connects == [PUBLIC_IP]
    assert calls == ["feed.example"]
    assert feed_server.RequestHandlerClass.seen_hosts == ["feed.example"]


def test_dns_rebinding_cannot_happen_one_resolution_per_hop(feed_server, connects, fake_dns):
    answers, calls = fake_dns
    # First lookup public, any later lookup private: only the first may ever be used.
    answers["feed.example"] = [[PUBLIC_IP], ["10.0.0.5"], ["10.0.0.5"]]
    route(feed_server, "/meetings.json")
    feeds.fetch_feed("http://feed.example/meetings.json")
    assert calls == ["feed.example"]
    assert connects == [PUBLIC_IP]


def test_every_hop_is_resolved_once_and_connected_to_as_checked(feed_server, connects, fake_dns):
    answers, calls = fake_dns
    answers["feed.example"] = [[PUBLIC_IP], ["127.0.0.1"]]
    answers["cdn.example"] = [[OTHER_PUBLIC_IP], ["169.254.169.254"]]
    redirect(feed_server, "/old.json", "http://cdn.example/new.json", status=301)
    route(feed_server, "/new.json", body=b"[1]")
    assert feeds.fetch_feed("http://feed.example/old.json") == b"[1]"
    assert calls == ["feed.example", "cdn.example"]
    assert connects == [PUBLIC_IP, OTHER_PUBLIC_IP]
    assert feed_server.RequestHandlerClass.seen_hosts == ["feed.example", "cdn.example"]


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1/x.json",
        "http://10.1.2.3/x.json",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/x.json",
        "http://[::ffff:127.0.0.1]/x.json",
        "http://[::1]/x.json",
        "http://internal.example/x.json",  # a name that resolves inside the network
        "http://mixed.example/x.json",  # one public and one private answer
        "ftp://feed.example/x.json",
        "file:///etc/passwd",
        "http://user:secret@feed.example/x.json",
        "http://feed.example:22/x.json",
    ],
)
def test_a_redirect_to_an_inside_or_odd_address_is_refused(feed_server, connects, fake_dns, target):
    answers, _ = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    answers["internal.example"] = [["10.0.0.7"]]
    answers["mixed.example"] = [[OTHER_PUBLIC_IP, "192.168.1.1"]]
    redirect(feed_server, "/start.json", target)
    route(feed_server, "/x.json", body=b"[]")
    route(feed_server, "/latest/meta-data/", body=b"secret")
    with pytest.raises(ValidationError) as caught:
        feeds.fetch_feed("http://feed.example/start.json")
    assert connects == [PUBLIC_IP]  # the refused address was never contacted
    assert isinstance(caught.value, safe_fetch.FeedFetchError)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.json",
        "http://localhost/x.json",
        "http://10.0.0.1/x.json",
        "http://169.254.169.254/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",  # noqa: S104
        "http://224.0.0.1/",
        "http://internal.example/",
        "http://user@feed.example/",
        "http://feed.example:6379/",
        "https:///no-host",
        "",
        "javascript:alert(1)",
    ],
)
def test_first_address_is_checked_the_same_way(connects, fake_dns, url):
    answers, _ = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    answers["internal.example"] = [["10.0.0.7"]]
    answers["localhost"] = [["127.0.0.1", "::1"]]
    with pytest.raises(safe_fetch.FeedFetchError):
        feeds.fetch_feed(url)
    assert connects == []


def test_too_many_redirects_are_refused(feed_server, connects, fake_dns):
    answers, _ = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    for n in range(7):
        redirect(feed_server, f"/r{n}", f"/r{n + 1}")
    route(feed_server, "/r7", body=b"[]")
    with pytest.raises(safe_fetch.FeedFetchError, match="redirect"):
        feeds.fetch_feed("http://feed.example/r0")
    assert len(connects) == safe_fetch.MAX_REDIRECTS + 1


def test_five_redirects_are_followed(feed_server, connects, fake_dns):
    answers, _ = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    for n in range(5):
        redirect(feed_server, f"/r{n}", f"/r{n + 1}", status=307)
    route(feed_server, "/r5", body=b"[5]")
    assert feeds.fetch_feed("http://feed.example/r0") == b"[5]"


def test_size_cap_holds_after_redirects(feed_server, connects, fake_dns):
    answers, _ = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    redirect(feed_server, "/a", "/b")
    redirect(feed_server, "/b", "/big")
    route(feed_server, "/big", body=b" " * 500)
    route(feed_server, "/big-no-length", body=lambda out: out.write(b" " * 500), Connection="close")
    redirect(feed_server, "/c", "/big-no-length")
    route(feed_server, "/small", body=b" " * 100)
    with mock.patch.object(feeds, "MAX_PAYLOAD_BYTES", 100):
        assert feeds.fetch_feed("http://feed.example/small") == b" " * 100
        for start in ("/a", "/c"):
            with pytest.raises(safe_fetch.FeedFetchError, match="too large"):
                feeds.fetch_feed("http://feed.example" + start)


def test_a_declared_length_over_the_cap_is_refused_before_reading(feed_server, connects, fake_dns):
    answers, _ = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    route(feed_server, "/liar", body=b"[]", Content_Length=str(10**12))
    with pytest.raises(safe_fetch.FeedFetchError, match="too large"):
        feeds.fetch_feed("http://feed.example/liar")


def _drip(out, count=40, pause=0.05):
    try:
        for _ in range(count):
            out.write(b" ")
            out.flush()
            time.sleep(pause)
    except OSError:
        pass  # the client gave up, as it should


def test_a_slow_drip_body_hits_the_total_deadline(feed_server, connects, fake_dns):
    answers, _ = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    route(feed_server, "/drip", body=_drip, Content_Length="40")
    redirect(feed_server, "/to-drip", "/drip")
    for start in ("/drip", "/to-drip"):
        began = time.monotonic()
        with mock.patch.object(feeds, "FETCH_TIMEOUT", 0.3), pytest.raises(safe_fetch.FeedFetchError, match="too long"):
            feeds.fetch_feed("http://feed.example" + start)
        assert time.monotonic() - began < 1.5  # the drip would take 2 s; each byte comes well within 0.3 s


def test_the_deadline_counts_from_the_first_hop(feed_server, connects, fake_dns):
    """A fake clock: the time spent on earlier hops is not given back at each redirect."""
    answers, _ = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    redirect(feed_server, "/a", "/b")
    route(feed_server, "/b", body=b"[]")
    ticks = iter([0.0, 19.0, 21.0] + [21.0] * 100)
    with (
        mock.patch.object(safe_fetch, "_clock", lambda: next(ticks)),
        pytest.raises(safe_fetch.FeedFetchError, match="too long"),
    ):
        feeds.fetch_feed("http://feed.example/a")


def test_server_errors_and_unreachable_hosts_are_messages(feed_server, connects, fake_dns):
    answers, _ = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    route(feed_server, "/gone", status=410, body=b"gone")
    with pytest.raises(safe_fetch.FeedFetchError, match=r"error \(410\)"):
        feeds.fetch_feed("http://feed.example/gone")
    with pytest.raises(safe_fetch.FeedFetchError, match="could not"):
        feeds.fetch_feed("http://nowhere.example/x.json")
    redirect(feed_server, "/no-location", "")
    with pytest.raises(safe_fetch.FeedFetchError):
        feeds.fetch_feed("http://feed.example/no-location")


def test_https_is_not_downgraded_to_http_by_a_redirect():
    with pytest.raises(safe_fetch.FeedFetchError, match="https"):
        safe_fetch.check_redirect("https://feed.example/a", "http://feed.example/b")


def test_https_connects_to_the_pinned_address_and_verifies_the_host_name():
    """TLS: the socket goes to the checked IP; SNI and the certificate check use the host name."""
    address = (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_IP, 443))
    context = mock.Mock()
    raw = mock.Mock()
    with mock.patch.object(safe_fetch, "_open_socket", return_value=raw) as opened:
        connection = safe_fetch.PinnedHTTPSConnection("feed.example", 443, address=address, timeout=5, context=context)
        connection.connect()
    opened.assert_called_once_with(address, 5)
    context.wrap_socket.assert_called_once_with(raw, server_hostname="feed.example", do_handshake_on_connect=False)
    context.wrap_socket.return_value.do_handshake.assert_called_once_with()
    assert safe_fetch.default_tls_context().check_hostname is True


@pytest.mark.parametrize(
    ("ip", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::6810:84e5", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 - an address to refuse, not to bind
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("192.0.2.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::", False),  # 6to4 of 169.254.169.254
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("2001::1", False),  # Teredo
    ],
)
def test_which_addresses_count_as_public(ip, public):
    assert safe_fetch.is_public_address(ipaddress.ip_address(ip)) is public


def test_a_body_cut_short_is_not_taken_for_the_feed(feed_server, connects, fake_dns):
    answers, _ = fake_dns
    answers["feed.example"] = [[PUBLIC_IP]]
    route(feed_server, "/cut", body=lambda out: out.write(b"[1, 2"), Content_Length="100", Connection="close")
    with pytest.raises(safe_fetch.FeedFetchError, match="could not fetch"):
        feeds.fetch_feed("http://feed.example/cut")


def test_the_real_socket_path_with_only_the_test_server_allowed(feed_server, fake_dns):
    """No connect() patch: the pinned socket really connects to the one address allowed."""
    answers, calls = fake_dns
    answers["feed.example"] = [["127.0.0.1"]]
    route(feed_server, "/m.json", body=b"[42]")
    loopback = ipaddress.ip_address("127.0.0.1")
    original = safe_fetch.is_public_address
    port = feed_server.server_address[1]
    with (
        mock.patch.object(safe_fetch, "is_public_address", lambda ip: ip == loopback or original(ip)),
        mock.patch.object(safe_fetch, "ALLOWED_PORTS", frozenset({port})),
    ):
        assert feeds.fetch_feed(f"http://feed.example:{port}/m.json") == b"[42]"
    assert calls == ["feed.example"]
    assert feed_server.RequestHandlerClass.seen_hosts == [f"feed.example:{port}"]


def test_international_names_and_paths_are_sent_encoded(feed_server, connects, fake_dns):
    answers, calls = fake_dns
    answers["xn--bcher-kva.example"] = [[PUBLIC_IP]]
    route(feed_server, "/caf%C3%A9%20list.json?x=%C3%A9", body=b"[]")
    assert feeds.fetch_feed("http://bücher.example/café list.json?x=é") == b"[]"
    assert calls == ["xn--bcher-kva.example"]
    with pytest.raises(safe_fetch.FeedFetchError, match="not a valid"):
        feeds.fetch_feed("http://bad..example/")


def _self_signed(tmp_path, name):
    """A certificate for `name` (and its key), made here: no test CA is downloaded."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


@pytest.mark.parametrize("certificate_name", ["feed.example", "other.example"])
def test_https_to_the_pinned_address_verifies_the_certificate_for_the_name(tmp_path, fake_dns, certificate_name):
    import ssl

    cert_file, key_file = _self_signed(tmp_path, certificate_name)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_file, key_file)
    handler = type("Handler", (_Handler,), {"routes": {"/m.json": (200, {}, b"[7]")}, "seen_hosts": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = server_context.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    answers, calls = fake_dns
    answers["feed.example"] = [["127.0.0.1"]]
    loopback = ipaddress.ip_address("127.0.0.1")
    original = safe_fetch.is_public_address
    client_context = ssl.create_default_context(cafile=str(cert_file))
    try:
        with (
            mock.patch.object(safe_fetch, "is_public_address", lambda ip: ip == loopback or original(ip)),
            mock.patch.object(safe_fetch, "ALLOWED_PORTS", frozenset({port})),
            mock.patch.object(safe_fetch, "default_tls_context", lambda: client_context),
        ):
            if certificate_name == "feed.example":
                assert feeds.fetch_feed(f"https://feed.example:{port}/m.json") == b"[7]"
                assert handler.seen_hosts == [f"feed.example:{port}"]
            else:  # the right IP, the wrong certificate for the name: refused
                with pytest.raises(safe_fetch.FeedFetchError, match="no valid certificate"):
                    feeds.fetch_feed(f"https://feed.example:{port}/m.json")
    finally:
        server.shutdown()
        server.server_close()
    assert calls == ["feed.example"]


@pytest.mark.parametrize(
    ("url", "valid"),
    [
        ("https://example.org/meetings.json", True),
        ("http://example.org:8080/m.json", True),
        ("http://127.0.0.1/m.json", False),
        ("http://[::ffff:10.0.0.1]/m.json", False),
        ("http://169.254.169.254/latest/", False),
        ("https://example.org:6379/", False),
        ("https://user:pw@example.org/", False),
        ("ftp://example.org/m.json", False),
    ],
)
def test_the_feed_source_form_refuses_addresses_that_could_never_be_fetched(url, valid):
    from recoverynet.directory.import_forms import FeedSourceForm

    form = FeedSourceForm(data={"name": "Feed", "url": url})
    form.is_valid()
    assert ("url" not in form.errors) is valid, form.errors


def test_a_second_checked_address_is_tried_when_the_first_refuses(feed_server, connects, fake_dns):
    answers, calls = fake_dns
    answers["feed.example"] = [[PUBLIC_IP, OTHER_PUBLIC_IP]]
    route(feed_server, "/m.json", body=b"[2]")
    real_open = safe_fetch._open_socket
    tried = []

    def open_socket(address, timeout):
        tried.append(address[4][0])
        if len(tried) == 1:
            raise ConnectionRefusedError
        return real_open(address, timeout)

    with mock.patch.object(safe_fetch, "_open_socket", open_socket):
        assert feeds.fetch_feed("http://feed.example/m.json") == b"[2]"
    assert tried == [PUBLIC_IP, OTHER_PUBLIC_IP] and connects == [OTHER_PUBLIC_IP]
    assert calls == ["feed.example"]
