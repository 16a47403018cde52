"""A real server on 127.0.0.1 and Debian's Chromium at a phone viewport (SPEC Q1, STYLE §10)."""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from e2e.camera import camera_args
from tests.database import database_url, empty_tables, reset_schema
from yks_web import clock, create_app

# A service worker's own fetches obey context.set_offline only with this set before the Playwright driver starts
# (microsoft/playwright#2311): the offline collection form (e2e/test_grid_offline.py) must really be offline.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
# As root and offline: no sandbox, and none of Chromium's calls home.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    # The phone's own language, as Chromium's: requests a context's `locale` does not reach (a service worker's
    # fetch, e2e/test_grid_offline.py) ask for 简体中文 too, as a Chinese phone's would (issue 15).
    "--lang=zh-CN", "--accept-lang=zh-CN",
]
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
STORY_START = datetime(2026, 11, 20, 9, 0)


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture(scope="session")
def e2e_app():
    app = create_app(
        {
            "TESTING": False,  # behave like a deployed server: errors become screens, not tracebacks
            "SQLALCHEMY_DATABASE_URI": database_url(),
            "SECRET_KEY": "e2e-secret",
            "DATA_KEY": "test-data-key",
            "LOOKUP_KEY": "test-lookup-key",
            "SMS_SENDER": "recording",
            "SHOW_SMS_CODE": False,
            "SESSION_COOKIE_SECURE": False,  # the live server speaks http on 127.0.0.1
        }
    )
    reset_schema(app)
    return app


@pytest.fixture(scope="session")
def live_server(e2e_app):
    server = LiveServer(e2e_app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(live_server, e2e_app):
    clock.set_now(STORY_START)
    yield live_server
    clock.set_now(None)
    empty_tables(e2e_app)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def camera_browser(browser_type, browser_type_launch_args):
    """launch(video): another Chromium, launched as the session's one, whose camera plays `video` (e2e/camera.py)
    and is granted without a prompt; every one launched is closed when the test ends."""
    launched = []

    def launch(video: Path):
        args = [*browser_type_launch_args.get("args", []), *camera_args(video)]
        browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()
