"""Security headers on every response: pages, fragments, errors, static files (issue 8 item 5, SPEC P9).

No inline script or style runs anywhere: htmx is told not to inject its indicator style nor to eval
(<meta name="htmx-config"> in page.html), app.js is a file, and templates carry no style= attribute.
"""

from __future__ import annotations

from flask import Flask, Response, current_app

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # data: for the page's empty favicon, blob: for the scanners' camera frames to come.
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        # 网格采集's service worker (/grid/sw.js) and web app manifest (issue 12 item 7): this origin only, said
        # outright rather than left to fall back to script-src and default-src.
        "worker-src 'self'",
        "manifest-src 'self'",
        "frame-ancestors 'none'",  # the 【确定】 of a report cannot be clicked through a frame
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)

# The camera for this origin only (the code scanners to come); every other powerful feature off.
PERMISSIONS_POLICY = ", ".join(
    (
        "camera=(self)",
        "microphone=()",
        "geolocation=()",
        "payment=()",
        "usb=()",
        "serial=()",
        "hid=()",
        "midi=()",
        "display-capture=()",
        "accelerometer=()",
        "gyroscope=()",
        "magnetometer=()",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    # Invite tokens live in URLs: no other site may see them. Not no-referrer: Flask-WTF refuses an HTTPS
    # form post that carries no same-origin Referer (WTF_CSRF_SSL_STRICT).
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}

# A year, this host only: includeSubDomains or preload would bind sites the deployer may not control.
HSTS = "max-age=31536000"


def init_app(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if current_app.config.get("SECURITY_HSTS"):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
