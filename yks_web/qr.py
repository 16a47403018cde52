"""QR codes of invite links, as PNG and SVG (SPEC W1, W3)."""

from __future__ import annotations

import base64
import functools
import io

import qrcode
import qrcode.image.svg
from flask import Response


def _code(data: str, box_size: int = 8) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(data)
    code.make(fit=True)
    return code


def png(data: str, colour: str = "black", box_size: int = 8) -> bytes:
    buffer = io.BytesIO()
    _code(data, box_size).make_image(fill_color=colour, back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


@functools.lru_cache(maxsize=1024)
def png_cached(data: str, colour: str = "black", box_size: int = 8) -> bytes:
    """`png`, made once per process for a payload (a 葵花码's short URL, a 粤康码 token's resolver URL in its colour):
    the image is not drawn again while nothing in it changed (issue 10 item 9). A few KB each."""
    return png(data, colour, box_size)


@functools.lru_cache(maxsize=64)
def png_data_uri(data: str, box_size: int = 4) -> str:
    """A small QR as a data: URI, for an image that needs no request of its own (CSP allows img-src data:)."""
    return "data:image/png;base64," + base64.b64encode(png(data, box_size=box_size)).decode("ascii")


def svg(data: str) -> bytes:
    buffer = io.BytesIO()
    _code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


def response(data: str, fmt: str, filename: str, colour: str = "black", *, cached: bool = False) -> Response:
    """The QR as a download-able image; `cached` draws a PNG once per payload and colour (png_cached)."""
    if fmt == "svg":
        body, mimetype = svg(data), "image/svg+xml"
    else:
        body, mimetype = (png_cached if cached else png)(data, colour), "image/png"
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
