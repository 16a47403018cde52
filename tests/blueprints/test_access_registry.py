"""Every endpoint is registered with its roles, and the gate enforces them (SPEC P7, P9; issue 8 item 12).

Driven by app.url_map: a new route that is not listed in services/access.ENDPOINTS fails here by name.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.blueprints.support import location_path, text
from tests.factories import make_person
from yks_web.services import access


def rules(app):
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule))


def sample_url(rule) -> str:
    """The rule's path with harmless values for its variables (the gate runs before any loader reads them)."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if hasattr(converter, "items"):  # any(csv, xlsx)
            values[name] = sorted(converter.items)[0]
        elif type(converter).__name__ in ("IdConverter", "IntegerConverter"):
            values[name] = 1
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


def test_p9_every_endpoint_of_the_url_map_is_registered_with_its_roles(app):
    missing = sorted({f"{rule.endpoint}  ({rule.rule})" for rule in rules(app)
                      if rule.endpoint not in access.ENDPOINTS})
    assert not missing, (
        "endpoints missing from services/access.ENDPOINTS (list each with its allowed roles):\n  "
        + "\n  ".join(missing)
    )


def test_p9_the_registry_names_no_endpoint_that_does_not_exist(app):
    existing = {rule.endpoint for rule in rules(app)}
    stale = sorted(set(access.ENDPOINTS) - existing)
    assert not stale, f"services/access.ENDPOINTS lists endpoints the app does not have: {stale}"


def test_p9_every_operator_page_is_for_operators_only(app):
    for rule in rules(app):
        if rule.endpoint.startswith("operator."):
            assert access.ENDPOINTS.get(rule.endpoint) == {"operator"}, rule.endpoint


def test_item8_the_resolver_is_for_scanners_only(app):
    assert access.ENDPOINTS["health_code.scan"] == access.ENDPOINTS["health_code.resolve"] == {"scanner"}


# -- the gate, walked over every route --------------------------------------------------------------------


def test_p7_anonymous_gets_public_pages_and_the_login_page_for_everything_else(client, db):
    """Every GET of the url_map, anonymous: public endpoints answer, all others redirect to 实名认证 and come back
    after it (the gate runs before any loader, so the sample ids need not exist)."""
    tried = 0
    for rule in rules(client.application):
        if "GET" not in rule.methods or rule.endpoint not in access.ENDPOINTS:
            continue
        url = sample_url(rule)
        response = client.get(url)
        tried += 1
        if access.gate(rule.endpoint) == "public":
            assert "next=" not in response.headers.get("Location", ""), url  # no gate (a page may redirect itself)
        else:
            assert response.status_code == 302, (url, response.status_code)
            assert location_path(response) == "/auth/login", url
            assert "next=" in response.headers["Location"], url
    assert tried > 50


def test_p7_anonymous_posts_go_to_the_login_page_too(client, db, actions):
    for rule in rules(client.application):
        if "POST" not in rule.methods or access.gate(rule.endpoint) in (None, "public"):
            continue
        response = actions.post(sample_url(rule))
        assert response.status_code == 302 and location_path(response) == "/auth/login", rule.endpoint


def test_p7_operator_endpoints_are_404_for_everyone_else(client, db, actions):
    actions.login(make_person(db, "路人"))
    db.session.commit()
    for rule in rules(client.application):
        if access.gate(rule.endpoint) != "operator":
            continue
        url = sample_url(rule)
        for response in ([client.get(url)] if "GET" in rule.methods else []) + (
                [actions.post(url)] if "POST" in rule.methods else []):
            assert response.status_code == 404, url
            assert "页面不存在" in text(response)


def test_p7_operators_pass_the_gate(client, db, actions):
    actions.login(make_person(db, "王运营", is_operator=True))
    db.session.commit()
    assert client.get("/operator/").status_code == 200
    assert client.get("/operator/health").status_code == 200


def test_p9_an_unlisted_endpoint_is_refused(client, db, actions, monkeypatch):
    """In tests as in production: a route nobody registered answers 404, logged in or not."""
    person = make_person(db, "黄恺")
    db.session.commit()
    actions.login(person)
    assert client.get("/me").status_code == 200
    monkeypatch.delitem(access.ENDPOINTS, "home.me")
    assert client.get("/me").status_code == 404
    actions.logout()
    assert client.get("/me").status_code == 404  # not even the login page: it does not exist


def test_p9_unknown_paths_are_still_routing_404s(client, db):
    assert client.get("/no/such/page").status_code == 404
    assert client.post("/healthz").status_code == 405


def test_q3_the_gate_adds_no_statement(client, db, actions, app):
    """Public endpoints do not even load the user; gated ones use the user load Flask-Login does anyway."""
    person = make_person(db, "黄恺", is_operator=True)
    db.session.commit()
    actions.login(person)
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for url in ("/healthz", "/static/css/app.css"):
            db.session.remove()
            assert client.get(url).status_code == 200
        assert seen == []
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("url", ["/healthz", "/", "/auth/login", "/static/css/app.css"])
def test_p9_public_pages_answer_without_a_login(client, db, url):
    assert client.get(url).status_code == 200
