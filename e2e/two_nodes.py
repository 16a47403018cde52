"""A phone talking plain HTTP to the two nodes behind nginx (bench/nodes.py) for e2e/test_two_nodes.py.

Each request names the node it must reach: nginx's round robin sends a client's consecutive requests to the nodes
in turn, so when the next one would reach the wrong node a GET /healthz goes first, and the node nginx names in
its response header is checked. Cookies are kept as a browser keeps them (the Secure flag aside: nginx speaks
http here, where a TLS terminator would speak https).
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from bench import forms
from bench.nodes import NODE_HEADER, Cluster, FileOutbox

_CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')


@dataclass
class Answer:
    status: int
    text: str
    location: str
    node: str | None  # the node that answered, by nginx's header

    def csrf(self) -> str:
        return _CSRF.search(self.text).group(1)

    def hidden(self) -> dict[str, str]:
        return forms.hidden_inputs(self.text)

    def redirects_to(self, path: str) -> bool:
        return self.status in (302, 303) and urlsplit(self.location).path == path


class Nodes:
    """The round robin as one client of it sees it: the node that answered last."""

    def __init__(self, cluster: Cluster, outbox):
        self.cluster, self.outbox, self.last = cluster, outbox, None

    def other(self, node: str) -> str:
        return next(name for name in self.cluster.nodes if name != node)

    def codes(self, phone: str) -> list[dict]:
        """The SMS codes sent to `phone`, oldest first, each with the node that sent it."""
        return [sent for sent in FileOutbox.read(self.outbox) if sent["phone"] == phone]


class Phone:
    """One person's phone: its own cookies, connecting from its own loopback address (as each phone has its own)."""

    def __init__(self, nodes: Nodes, address: str = "127.0.0.2"):
        self.nodes, self.address = nodes, address
        parts = urlsplit(nodes.cluster.url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, node: str | None, data: dict | None = None,
                headers: dict | None = None) -> Answer:
        """`method` `path` answered by `node` ("A" or "B"; None: whichever nginx picks)."""
        if node is not None and self.nodes.last != self.nodes.other(node):
            self._send("GET", "/healthz")  # the round robin moves on: the next request goes to the other node
            if self.nodes.last == node:
                self._send("GET", "/healthz")
        answer = self._send(method, path, data, headers)
        assert node is None or answer.node == node, f"{method} {path}: answered by {answer.node}, not {node}"
        return answer

    def get(self, path: str, node: str | None = None, **kw) -> Answer:
        return self.request("GET", path, node, **kw)

    def post(self, path: str, data: dict, node: str | None = None, *, csrf: str | None = None, **kw) -> Answer:
        """A form post with the session's CSRF token (`csrf`, else read from the home page first)."""
        return self.request("POST", path, node, data={"csrf_token": csrf or self.csrf(), **data}, **kw)

    def csrf(self) -> str:
        return self.get("/").csrf()

    def _send(self, method: str, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60, source_address=(self.address, 0))
        try:
            sent = {"Host": f"{self.host}:{self.port}", "User-Agent": "yks-two-nodes/1.0", "Accept": "text/html",
                    **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            body = None
            if data is not None:
                body = urlencode(data).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                self._keep(header)
            node = self.nodes.cluster.node_named(response.headers.get(NODE_HEADER))
        finally:
            connection.close()
        self.nodes.last = node
        return Answer(response.status, text, response.headers.get("Location", ""), node)

    def _keep(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            if morsel.value == "" or morsel["max-age"] == "0":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value
