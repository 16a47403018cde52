"""离线采集: the grid pages as an installable PWA, its service worker and manifest (issue 12 item 7; SPEC O6, P9).

What the browser does with them (records kept in IndexedDB, 待上传, the sync) is e2e/test_grid_offline.py."""

from __future__ import annotations

import json
import re

from flask import url_for

from tests.blueprints.support import text
from tests.factories import make_grid, make_grid_staff, make_person
from yks_web.blueprints.grid import offline
from yks_web.security_headers import CONTENT_SECURITY_POLICY
from yks_web.services import access_endpoints


def test_item7_the_service_worker_is_javascript_never_cached_by_http_and_public(client):
    """Served under /grid/ so its scope is the grid pages; no-cache so an update is seen on the next visit; public,
    since the browser re-checks it in the background (the login page would not be a script)."""
    response = client.get("/grid/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "Service-Worker-Allowed" not in response.headers  # scope /grid/, the script's own folder
    body = text(response)
    assert re.search(r'^const VERSION = "[0-9a-f]{12}";$', body, re.M)
    assert 'const LOGIN_PATH = "/auth/login";' in body
    assert access_endpoints.ENDPOINTS["grid.service_worker"] == {"public"}


def test_item7_the_worker_caches_the_pages_assets_and_only_the_collection_pages(app, client):
    """Every script and style a grid page loads is in the worker's list (an htmx upgrade cannot leave the offline
    page without it), and the pages it may keep are the two collection pages only, never a list of people."""
    body = text(client.get("/grid/sw.js"))
    assets = json.loads(re.search(r"^const ASSETS = (.*);$", body, re.M).group(1))
    head = text(client.get("/auth/login"))  # page.html's <head>, the same on every page
    loaded = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', head)
    assert len(loaded) >= 4 and set(loaded) <= set(assets), (loaded, assets)
    assert "/static/js/grid_queue.js" in assets and "/static/grid/icon-512.png" in assets
    pages = [re.compile(p) for p in json.loads(re.search(r"^const OFFLINE_PAGES = (.*);$", body, re.M).group(1))]
    with app.test_request_context():
        kept = [url_for("grid.collect"), url_for("grid.collect_manual", grid_id=12)]
        never = [url_for(endpoint, grid_id=12) for endpoint in ("grid.members", "grid.stats", "grid.collect_done",
                                                                "grid.collect_scan", "grid.key_people")]
        never += [url_for(endpoint) for endpoint in ("grid.index", "grid.worker", "grid.queue", "grid.visit_sync_post",
                                                     "grid.visit_sync_token", "grid.service_worker")]
        never.append(url_for("grid.collect_person", grid_id=12, ticket="t"))
    assert all(any(p.search(path) for p in pages) for path in kept)
    assert not any(p.search(path) for p in pages for path in never)


def test_item7_the_version_follows_the_cached_files(app, monkeypatch, tmp_path):
    """A changed static file gives a new version, so the browser installs the new worker and its new cache."""
    for name in (offline.SOURCE, *offline.ASSETS):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"one " + name.encode())
    monkeypatch.setattr(app, "static_folder", str(tmp_path))
    with app.app_context():
        before = offline.version()
        assert offline.version() == before  # stable while nothing changes
        (tmp_path / "css/app.css").write_bytes(b"changed")
        after = offline.version()
    assert re.fullmatch(r"[0-9a-f]{12}", before) and after != before


def test_item7_the_manifest_installs_the_collection_page(client):
    response = client.get("/grid/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    manifest = json.loads(text(response))
    assert manifest["name"] == "粤省事·网格采集" and manifest["short_name"] == "网格采集"
    assert manifest["start_url"] == "/grid/collect" and manifest["scope"] == "/grid/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"]: icon["src"] for icon in manifest["icons"]}
    assert set(sizes) == {"192x192", "512x512"}
    for size, src in sizes.items():
        icon = client.get(src)
        assert icon.status_code == 200 and icon.mimetype == "image/png"
        width = int.from_bytes(icon.data[16:20], "big")  # the PNG's IHDR
        assert f"{width}x{width}" == size
    assert access_endpoints.ENDPOINTS["grid.manifest"] == {"public"}


def test_item7_the_policy_lets_this_origin_only_register_the_worker_and_the_manifest():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["worker-src"] == "'self'" and directives["manifest-src"] == "'self'"
    assert directives["connect-src"] == "'self'"  # the queue's sync is same-origin


def test_item7_grid_pages_link_the_manifest_and_other_pages_do_not(client, db, actions):
    """The manifest (and the worker's URL) on /grid/ pages only; grid_queue.js on every page, which warns of
    records 待上传 at 退出登录 and forgets the kept pages."""
    worker = make_person(db, "吴网格")
    grid = make_grid(db, "周网管", status="active")
    make_grid_staff(db, grid, worker)
    db.session.commit()
    actions.login(worker)
    grid_page = text(client.get("/grid/worker"))
    assert '<link rel="manifest" href="/grid/manifest.webmanifest" data-service-worker="/grid/sw.js">' in grid_page
    assert '<script src="/static/js/grid_queue.js" defer></script>' in grid_page
    assert "<script>" not in grid_page  # still no inline script
    me = text(client.get("/me"))
    assert 'rel="manifest"' not in me and "/static/js/grid_queue.js" in me
    fragment = text(client.get("/grid/worker", headers={"HX-Request": "true"}))
    assert 'rel="manifest"' not in fragment  # the fragment has no <head>


def test_item7_the_queue_panel_is_hidden_without_javascript(app, db):
    """The 待上传 panel and the 提交成功 box are there for grid_queue.js, hidden until it fills them: without
    JavaScript the form posts as a plain form and nothing is queued."""
    worker = make_person(db, "吴网格")
    db.session.commit()
    with app.test_request_context("/grid/1/collect/manual"):
        from flask import render_template
        from flask_login import login_user

        login_user(worker)
        html = render_template("grid/_queue.html")
    assert re.search(r'<section class="card" id="grid-queue" hidden', html)
    assert re.search(r'<section class="card" id="grid-visit-result" hidden', html)
    assert f'data-worker="{worker.id}"' in html and 'data-service-worker="/grid/sw.js"' in html
    assert 'aria-live="polite">待上传 <span data-queue-count>0</span> 条' in html
    assert "立即上传" in html and "继续采集" in html


def test_item7_the_queue_page_is_for_a_logged_in_person_and_holds_nothing_of_the_server(client, db, actions):
    """待上传 (/grid/queue): where a worker no longer bound to the grid finds the records waiting on the phone;
    the page itself is empty (the browser fills it from IndexedDB), so any logged-in person may open it."""
    assert client.get("/grid/queue").status_code == 302  # logged out: 实名认证 first
    someone = make_person(db, "吴网格")
    db.session.commit()
    actions.login(someone)
    response = client.get("/grid/queue")
    page = text(response)
    assert response.status_code == 200 and "<title>待上传</title>" in page
    assert 'id="grid-queue" hidden' in page and f'data-worker="{someone.id}"' in page
    assert "这部手机上没有待上传的记录" in page and "开始信息采集" in page
    assert 'id="grid-visit-result"' not in page  # no form here, so no 提交成功 box
    assert '<link rel="manifest"' in page
    assert access_endpoints.ENDPOINTS["grid.queue"] == {"person"}
