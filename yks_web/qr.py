"""QR codes of invite links, as PNG and SVG (SPEC W1, W3)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import Response


def _code(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2)
    code.add_data(data)
    code.make(fit=True)
    return code


def png(data: str, colour: str = "black") -> bytes:
    buffer = io.BytesIO()
    _code(data).make_image(fill_color=colour, back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def svg(data: str) -> bytes:
    buffer = io.BytesIO()
    _code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


def response(data: str, fmt: str, filename: str, colour: str = "black") -> Response:
    if fmt == "svg":
        body, mimetype = svg(data), "image/svg+xml"
    else:
        body, mimetype = png(data, colour), "image/png"
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
