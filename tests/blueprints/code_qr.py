"""出示粤康码's QR as a phone's camera reads it (issue 14 item 3): the card's inline image, decoded by zxing-cpp.
qr_codes() and decoded() are how every test reads a QR code of ours (cards, posters, 告知书, entry codes).

Tests take the token from the QR itself, never from the markup around it: what a scan gets is what they check.
"""

from __future__ import annotations

import base64
import io
import re

import zxingcpp
from PIL import Image

CARD_QR = re.compile(r'<img class="code-qr" src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
SCAN_URL = re.compile(r"https?://[^/]+/code/scan/([A-Za-z0-9_-]+)")
SHOWN_MODULE = 8  # pixels per module on screen: the page scales the one-pixel modules up, unsmoothed


def card_png(page: str) -> bytes:
    found = CARD_QR.findall(page)
    assert len(found) == 1, "the card holds one QR, inline"
    return base64.b64decode(found[0])


def on_screen(png: bytes) -> Image.Image:
    """The image as the page shows it: each module SHOWN_MODULE pixels wide (CSS image-rendering: pixelated)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.resize((image.width * SHOWN_MODULE, image.height * SHOWN_MODULE), Image.NEAREST)


def qr_codes(image: Image.Image) -> list[zxingcpp.Barcode]:
    """The QR codes in `image`, read as a QR only, as the inspectors' scanner (jsQR) and a phone's camera read them:
    zxing-cpp reads every format by default, and one 粤康码 (…/code/scan/BCbbJrm_…, test_qr_symbol) also holds an
    ITF barcode "1572" in its modules."""
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def decoded(image: Image.Image) -> list[str]:
    return [found.text for found in qr_codes(image)]


def qr_text(page: str) -> str:
    """What the card's QR says to a reader."""
    texts = decoded(on_screen(card_png(page)))
    assert len(texts) == 1, texts
    return texts[0]


def token_of(page: str) -> str:
    """The token of the resolver address the card's QR encodes."""
    found = SCAN_URL.fullmatch(qr_text(page))
    assert found, "the QR encodes the resolver's address"
    return found.group(1)
