"""QR codes of invite links, as PNG and SVG (SPEC W1, W3), and 出示粤康码's QR inline in its card (issue 14 item 3)."""

from __future__ import annotations

import base64
import functools
import io
import struct
import zlib

import qrcode
import qrcode.image.svg
from flask import Response

from yks_web import qr_symbol


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
    """`png`, made once per process for a payload (a 葵花码's short URL): the image is not drawn again while
    nothing in it changed (issue 10 item 9). A few KB each."""
    return png(data, colour, box_size)


@functools.lru_cache(maxsize=64)
def png_data_uri(data: str, box_size: int = 4) -> str:
    """A small QR as a data: URI, for an image that needs no request of its own (CSP allows img-src data:)."""
    return _data_uri(png(data, box_size=box_size))


def _data_uri(image: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(image).decode("ascii")


def svg(data: str) -> bytes:
    buffer = io.BytesIO()
    _code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


def response(data: str, fmt: str, filename: str) -> Response:
    """The QR as a download-able image."""
    if fmt == "svg":
        body, mimetype = svg(data), "image/svg+xml"
    else:
        body, mimetype = png(data), "image/png"
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


# 出示粤康码 draws a new QR every minute for every phone showing one, so its cost is the refresh's (issue 14
# item 3). qrcode's automatic choice of mask draws the symbol eight times to score each; one fixed mask draws it
# once (qr_symbol draws it the fast way). Mask 2 (a module flips on every third column) scored closest to the
# automatic choice over 150 scan URLs of three hosts (ISO/IEC 18004 penalty: 39 above the best on average, the
# other masks 140–234), and zxing-cpp reads it in every colour from the dim photo of
# tests/blueprints/test_health_code_page.py.
CODE_MASK = 2
CODE_BORDER = 2  # modules of white around the code in the image; the card adds its own white padding


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def palette_png(rows: list[str], colour: str, border: int = CODE_BORDER) -> bytes:
    """Modules ("1" dark, "0" light, a row a string) as a PNG of one pixel per module and one bit per pixel:
    white and `colour` (#rrggbb). A few hundred bytes, written without Pillow; the page scales it up with
    `image-rendering: pixelated`."""
    size = len(rows) + 2 * border
    row_bytes = (size + 7) // 8
    left, right = "0" * border, "0" * (row_bytes * 8 - size + border)
    blank = bytes(1 + row_bytes)  # filter type 0, then white
    lines = [blank] * border
    lines += [b"\0" + int(left + row + right, 2).to_bytes(row_bytes, "big") for row in rows]
    lines += [blank] * border
    header = struct.pack(">IIBBBBB", size, size, 1, 3, 0, 0, 0)  # 1-bit palette, no interlace
    palette = b"\xff\xff\xff" + bytes.fromhex(colour.lstrip("#"))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", palette)
            + _chunk(b"IDAT", zlib.compress(b"".join(lines))) + _chunk(b"IEND", b""))


def code_png(data: str, colour: str) -> bytes:
    """出示粤康码's QR: error correction M as every other code here, the fixed mask, in the status colour."""
    return palette_png(qr_symbol.rows(data, CODE_MASK), colour)


def code_png_uri(data: str, colour: str) -> str:
    """`code_png` as a data: URI, inline in the card the page polls: no second request per refresh (the
    Content-Security-Policy allows img-src data:)."""
    return _data_uri(code_png(data, colour))
