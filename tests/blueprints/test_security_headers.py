"""Security headers on every response (issue 8 item 5, SPEC P9): every GET endpoint of app.url_map, as
anonymous and as a logged-in collector (who also runs a place, an institution and a grid, and is a
区划管理员, so their screens, the 葵花码
PNG and PDF and the export answer too), as a page and as an htmx fragment, and the error screens."""

from __future__ import annotations

import pytest
from werkzeug.routing import AnyConverter, PathConverter

from tests.blueprints.support import TODAY
from tests.factories import make_district_admin, make_grid, make_grid_staff, make_institution, make_place
from yks_web import create_app, privacy
from yks_web.security_headers import CONTENT_SECURITY_POLICY, HSTS

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def assert_secured(response, url: str) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (url, response.status_code, name)
    policy = response.headers["Permissions-Policy"]
    assert "camera=(self)" in policy and "microphone=()" in policy and "geolocation=()" in policy, url
    assert response.headers.get("Strict-Transport-Security") == HSTS, url


@pytest.fixture(autouse=True)
def production(app, monkeypatch):
    """HSTS as production sends it, whatever YKS_ENV the test run has."""
    monkeypatch.setitem(app.config, "SECURITY_HSTS", True)


def test_p9_the_policy_allows_no_inline_script_and_no_framing():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'" and directives["form-action"] == "'self'"
    assert directives["img-src"] == "'self' data: blob:" and directives["default-src"] == "'self'"


@pytest.fixture
def runs(db, scene) -> dict:
    """The collector's place (with its 葵花码), institution and grid; they are also 天河区's 区划管理员, who
    appointed 五山街道's."""
    place = make_place(db, scene.collector)
    institution = make_institution(db, scene.collector)
    grid = make_grid(db, scene.collector)
    worker = make_grid_staff(db, grid, scene.members[0])  # 网格成员管理 lists one, 解绑 confirms it
    make_district_admin(db, scene.collector, "440106")
    appointment = make_district_admin(db, "许镇管", "440106001", appointed_by=scene.collector)
    db.session.commit()
    return {"place_id": place.id, "institution_id": institution.id, "grid_id": grid.id,
            "appointment_id": appointment.id, "staff_id": worker.id}


def urls(app, scene, runs: dict) -> list[str]:
    """One URL per GET rule, its arguments filled with the scene's ids (or placeholders that 404)."""
    values = {
        "org_id": scene.org.id, "school_id": scene.school.id, "person_id": scene.members[0].id,
        "token": scene.token, "day": TODAY.isoformat(), "filename": "css/app.css", "kind": "nucleic",
        "key": "declared", **runs,
    }
    built = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        arguments = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                arguments[name] = next(iter(converter.items))
            elif isinstance(converter, PathConverter):
                arguments[name] = values[name]
            else:
                arguments[name] = values.get(name, 1)
        built.append(rule.build(arguments, append_unknown=False)[1])
    return built


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_p9_every_get_endpoint_answers_with_the_security_headers(app, client, actions, scene, runs, htmx):
    """Every GET rule (pages, fragments, QR images, exports, static files, redirects, 404s), logged out and
    logged in as the class's collector."""
    headers = {"HX-Request": "true"} if htmx else {}
    every = urls(app, scene, runs)
    assert len(every) == len({rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods})
    statuses = set()
    for logged_in in (False, True):
        if logged_in:
            actions.login(scene.collector)
        for url in every:
            response = client.get(url, headers=headers)
            statuses.add(response.status_code)
            assert_secured(response, url)
    assert {200, 302, 404} <= statuses  # pages, login redirects and refusals were all walked


def test_p9_error_responses_and_static_files_carry_them_too(client):
    for method, url, status in (
        ("get", "/no-such-page", 404),
        ("get", "/static/css/no-such.css", 404),
        ("get", "/static/css/app.css", 200),
        ("get", "/static/js/app.js", 200),
        ("delete", "/", 405),
        ("post", "/auth/logout", 400),  # no CSRF token
    ):
        response = getattr(client, method)(url)
        assert response.status_code == status, url
        assert_secured(response, url)


@pytest.fixture
def restore_keys(app):
    yield
    privacy.configure(app.config["DATA_KEY"], app.config["LOOKUP_KEY"])  # create_app rebinds them


def test_p9_an_unexpected_error_screen_carries_them(app, restore_keys):
    """The 500 screen of a deployed server (not TESTING: errors become screens)."""
    deployed = create_app({**app.config, "TESTING": False, "SECURITY_HSTS": True})

    def boom():
        raise RuntimeError("boom")

    deployed.view_functions["home.healthz"] = boom  # a known endpoint that fails
    response = deployed.test_client().get("/healthz")
    assert response.status_code == 500 and "业务系统维护中" in response.get_data(as_text=True)
    assert_secured(response, "/healthz")


def test_p9_development_sends_no_hsts(app, client, monkeypatch):
    """make run serves http://127.0.0.1: HSTS there would only confuse the browser."""
    monkeypatch.setitem(app.config, "SECURITY_HSTS", False)
    response = client.get("/healthz")
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"
