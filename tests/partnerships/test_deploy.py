"""docs/deploy.md, step by step on this machine: the schema migrated by ``db upgrade``, two
servers (two workers each) on two ports sharing one PostgreSQL, Debian's nginx in front with the
site configuration read from the document itself; a partnership created through nginx, each
partner's requests alternating between the servers and reading one state. Also: partners' links
use ``PARTNERSHIP_PUBLIC_URL``, and forwarded headers count only from configured proxies."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.partnerships.servers import CLI, ROOT, Server, call, free_port
from tests.partnerships.support import NEW, OTHER, PROFILE

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
LINK = re.compile(r'value="(http[^"]+#key=[^"]+)"')


def site_config() -> str:
    """The nginx site of docs/deploy.md (its one ``nginx`` block)."""
    blocks = re.findall(r"```nginx\n(.*?)```", (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, "docs/deploy.md should hold exactly one nginx block"
    return str(blocks[0])


def nginx_main(prefix: Path, port: int, ports: tuple[int, int]) -> Path:
    site = site_config()
    for needle in ("127.0.0.1:8001", "127.0.0.1:8002", "listen 80;"):
        assert needle in site, f"docs/deploy.md's nginx block no longer has {needle!r}"
    site = site.replace("127.0.0.1:8001", f"127.0.0.1:{ports[0]}").replace("127.0.0.1:8002", f"127.0.0.1:{ports[1]}")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (prefix / "site.conf").write_text(site, encoding="utf-8")
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / folder).mkdir()
    main = prefix / "nginx.conf"
    main.write_text(
        f"""{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
""",
        encoding="utf-8",
    )
    return main


@pytest.fixture
def nginx_site(tmp_path: Path, postgres_url: str) -> Iterator[tuple[str, list[Server]]]:
    if os.geteuid() != 0 or not Path(NGINX).is_file():
        pytest.skip("needs root and Debian's nginx (apt-get install nginx; .ci/run installs it)")
    public_port = free_port()
    public = f"http://127.0.0.1:{public_port}"
    env = {
        "PARTNERSHIP_DATABASE_URL": postgres_url,
        "PARTNERSHIP_PUBLIC_URL": public,
        "PARTNERSHIP_FORWARDED_ALLOW_IPS": "127.0.0.1",
    }
    # Step 4: the schema, once.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERSHIP_")}
    upgraded = subprocess.run([CLI, "db", "upgrade"], env=clean | env, capture_output=True, text=True, check=False)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "the partnerships database is at revision" in upgraded.stdout
    # Step 5: two servers on two ports, two workers each.
    servers = [Server(free_port(), env, tmp_path / f"server{i}.log", ("--workers", "2")) for i in range(2)]
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    main = nginx_main(prefix, public_port, (servers[0].port, servers[1].port))
    # Step 6: nginx -t, then nginx itself (in the foreground, as a subprocess).
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(main), "-e", "stderr"], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    log = (prefix / "stderr.log").open("wb")
    nginx = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(main), "-e", "stderr"], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        for server in servers:
            server.start()
        yield public, servers
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
        log.close()
        for server in servers:
            server.stop()


def _answer_requests(server: Server) -> int:
    """How many requests for answers this server logged (its access lines)."""
    return len(re.findall(r'"path": "/v1/partnerships/[^"]+/answers"', server.log.read_text(errors="replace")))


def test_two_servers_behind_nginx_share_one_postgresql(nginx_site: tuple[str, list[Server]]) -> None:
    public, servers = nginx_site
    # Created through nginx, from the page: the links are on the public address.
    form = urlencode(
        [("title", "Housing evaluation"), ("partner_name", "Agency team"), ("partner_party", "policy_agency"),
         ("partner_name", "University"), ("partner_party", "researchers")]
    )  # fmt: skip
    request = urllib.request.Request(
        f"{public}/partnerships/new", data=form.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with urllib.request.urlopen(request) as response:
        page = response.read().decode()
        assert response.headers["Cache-Control"] == "no-store"
    links = LINK.findall(page)
    assert len(links) == 3
    assert all(link.startswith(f"{public}/partnerships/") for link in links)

    status, created = call("POST", f"{public}/v1/partnerships", NEW)
    assert status == 201
    pid = created["id"]
    before = [_answer_requests(s) for s in servers]
    for round_ in range(3):
        for partner, view in zip(created["partners"], (PROFILE, OTHER), strict=True):
            url = f"{public}/v1/partnerships/{pid}/partners/{partner['id']}/answers"
            status, body = call("PUT", url, view | {"title": f"round {round_}"}, token=partner["token"])
            assert (status, body["revision"]) == (200, round_ + 1)
            # Read back at once through nginx, which sends it to the other server in turn: the write is there.
            status, latest = call("GET", url, token=partner["token"])
            assert (status, latest["revision"], latest["profile"]["title"]) == (200, round_ + 1, f"round {round_}")
    # Access lines are written in batches (at least every 0.25 s: api/logs.py): wait for them.
    deadline = time.monotonic() + 10
    while not all(a > b for a, b in zip([_answer_requests(s) for s in servers], before, strict=True)):
        assert time.monotonic() < deadline, "nginx did not share the requests between both servers"
        time.sleep(0.1)
    # Both servers, asked directly, read one state.
    views = [call("GET", f"{s.base}/v1/partnerships/{pid}", token=created["owner_token"]) for s in servers]
    assert views[0] == views[1]
    assert views[0][1]["divergence"] is not None
    assert call("GET", f"{public}/v1/partnerships/{pid}", token=created["owner_token"]) == views[0]


def _link_scheme(server: Server, headers: dict[str, str]) -> str:
    form = "title=T&partner_name=A&partner_party=policy_agency&partner_name=B&partner_party=researchers"
    request = urllib.request.Request(
        f"{server.base}/partnerships/new",
        data=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    with urllib.request.urlopen(request) as response:
        link: str = LINK.findall(response.read().decode())[0]
    return link.split("://")[0]


def test_forwarded_headers_count_only_from_configured_proxies(tmp_path: Path) -> None:
    data = {"PARTNERSHIP_DATA_DIR": str(tmp_path / "data")}
    forwarded = {"X-Forwarded-Proto": "https"}
    untrusting = Server(free_port(), data, tmp_path / "a.log").start()
    try:
        assert _link_scheme(untrusting, forwarded) == "http"  # 127.0.0.1 is not a configured proxy
    finally:
        untrusting.stop()
    trusting = Server(free_port(), data | {"PARTNERSHIP_FORWARDED_ALLOW_IPS": "127.0.0.1"}, tmp_path / "b.log").start()
    try:
        assert _link_scheme(trusting, forwarded) == "https"
        assert _link_scheme(trusting, {}) == "http"
    finally:
        trusting.stop()


def test_links_use_the_public_url(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(data_dir=tmp_path, public_url="https://partners.example.org/")
    with TestClient(create_app(settings)) as client:
        page = client.post(
            "/partnerships/new",
            content="title=T&partner_name=A&partner_party=policy_agency&partner_name=B&partner_party=researchers",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Host": "attacker.example"},
        )
    assert page.status_code == 200
    links = LINK.findall(page.text)
    assert len(links) == 3
    assert all(link.startswith("https://partners.example.org/partnerships/") for link in links)
