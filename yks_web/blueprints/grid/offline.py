"""离线采集 (issue 12 item 7): the grid workers' collection form as an installable PWA.

GET /grid/sw.js                  the service worker (scope /grid/): network first for the collection pages with
                                 their last copy as the fallback, cache first for the static files they need.
GET /grid/manifest.webmanifest   the web app manifest (粤省事·网格采集, start_url /grid/collect, standalone).
GET /grid/queue                  待上传: what waits on this phone, for a worker whose grid is gone or unbound too.

The worker script and the manifest are public: the browser fetches the manifest without cookies and re-checks
the worker script in the background, and neither holds anything of anyone; 待上传 is the logged-in person's.
Records made offline wait in the phone's IndexedDB and are sent by static/js/grid_queue.js (the 待上传 panel,
templates/grid/_queue.html) to grid.visit_sync_post.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Response, current_app, url_for

from yks_web.blueprints.grid import bp
from yks_web.i18n import DEFAULT_LOCALE, gettext
from yks_web.i18n_setup import current_language, html_lang
from yks_web.rendering import render_screen

# What the collection pages load (templates/page.html), cached by the worker at install: the page is whole offline.
ASSETS = (
    "vendor/htmx-2.0.11.min.js",
    "js/i18n.js",
    "js/app.js",
    "js/grid_queue.js",
    "css/app.css",
    "grid/icon-192.png",
    "grid/icon-512.png",
)
# The only pages kept on the phone: the collection pages the worker opened while online (paths, as JS regexes).
# Nothing else of /grid/ is cached: lists of people and statistics never stay on a shared phone.
OFFLINE_PAGES = (r"^/grid/collect/?$", r"^/grid/\d+/collect/manual$")
SOURCE = "grid/service_worker.js"  # under static/: the worker's code, these constants put before it


@cache
def _fingerprint(static_folder: str, mtimes: tuple[float, ...]) -> str:
    digest = hashlib.sha256()
    for name in (SOURCE, *ASSETS):
        digest.update((Path(static_folder) / name).read_bytes())
    return digest.hexdigest()[:12]


def version() -> str:
    """A fingerprint of the worker's code and every file it caches: any change makes a new sw.js, which the browser
    installs in place of the old one, and its cache (named by this version) replaces the old cache."""
    folder = current_app.static_folder
    mtimes = tuple((Path(folder) / name).stat().st_mtime for name in (SOURCE, *ASSETS))
    return _fingerprint(folder, mtimes)


@bp.get("/sw.js")
def service_worker():
    """The service worker of the grid pages (scope /grid/); never cached by HTTP, so an update is seen at once."""
    constants = {
        "VERSION": version(),
        "ASSETS": [url_for("static", filename=name) for name in ASSETS],
        "OFFLINE_PAGES": list(OFFLINE_PAGES),
        "LOGIN_PATH": url_for("auth.login"),
    }
    head = "".join(f"const {name} = {json.dumps(value)};\n" for name, value in constants.items())
    body = (Path(current_app.static_folder) / SOURCE).read_text(encoding="utf-8")
    response = Response(head + body, mimetype="application/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: 添加到主屏幕 opens the collection page full screen."""
    start = url_for("grid.collect")  # 开始信息采集 of the 当前组织
    document = {
        "id": start,
        "name": gettext("粤省事·网格采集"),
        "short_name": gettext("网格采集"),
        "description": gettext("网格员入户采集居民健康情况，无网络时记录保存在手机上，恢复网络后自动上传"),
        "lang": "zh-CN" if current_language() == DEFAULT_LOCALE else html_lang(),
        "start_url": start,
        "scope": url_for("grid.index"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#1565c0",
        "icons": [
            {"src": url_for("static", filename=f"grid/icon-{size}.png"), "sizes": f"{size}x{size}",
             "type": "image/png", "purpose": "any maskable"}
            for size in (192, 512)
        ],
    }
    response = Response(json.dumps(document, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(("Accept-Language", "Cookie"))  # in the browser's language (fetched without cookies)
    return response


@bp.get("/queue")
def queue():
    """待上传: the records kept on this phone (IndexedDB, filled in by grid_queue.js); the server knows none of them.
    The collection form shows the same panel; this page is where a worker no longer bound to the grid still sees
    their 上传失败 records and the reason, and 删除s them."""
    return render_screen("grid/_queue.html", title=gettext("待上传"), queue_page=True)
