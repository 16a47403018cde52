"""Every screen: whole page normally, only #screen for htmx, Vary: HX-Request (SPEC P3, STYLE §3)."""


def test_home_is_a_whole_page_normally(client):
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.startswith("<!doctype html>")
    assert 'id="screen"' in body
    assert "HX-Request" in response.headers["Vary"]


def test_home_is_a_fragment_for_htmx(client):
    response = client.get("/", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<!doctype html>" not in body
    assert body.lstrip().startswith("<title>粤康码</title>")
    assert body.count('id="screen"') == 1
    assert "HX-Request" in response.headers["Vary"]


def test_history_restore_gets_the_whole_page(client):
    response = client.get("/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert response.get_data(as_text=True).startswith("<!doctype html>")


def test_unknown_page_is_a_404_screen(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)
