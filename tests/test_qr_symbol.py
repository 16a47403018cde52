"""出示粤康码's fast QR (issue 14 item 3): yks_web/qr_symbol.py draws module for module what qrcode draws for the
same data, version and mask, and qr.code_png writes those modules as a small palette PNG that zxing-cpp reads."""

from __future__ import annotations

import io
import random

import pytest
import qrcode
import zxingcpp
from PIL import Image
from qrcode.util import MODE_8BIT_BYTE, QRData

from tests.blueprints.code_qr import decoded, on_screen
from yks_web import qr, qr_symbol

ALPHABET = "ABCXYZabcxyz0123456789-_/:.?=%中文é"


def qrcode_rows(data: str, mask: int) -> tuple[int, list[str]]:
    """qrcode's own symbol: byte mode (as qr_symbol always writes), error correction M, the given mask."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=mask)
    code.add_data(QRData(data.encode("utf-8"), mode=MODE_8BIT_BYTE))
    code.make(fit=True)
    return code.version, ["".join("1" if dark else "0" for dark in row) for row in code.modules]


def test_the_symbol_is_qrcodes_module_for_module():
    """Every mask, lengths from empty to version 20 (one and several Reed–Solomon block sizes, the 16-bit
    length of version 10 on, the version information of 7 on), ASCII and UTF-8."""
    draw = random.Random(14)
    versions = set()
    for length in [*range(0, 40), 47, 84, 85, 106, 122, 155, 180, 213, 271, 321, 367, 425, 511, 600]:
        data = "".join(draw.choice(ALPHABET) for _ in range(length))
        for mask in range(8):
            version, expected = qrcode_rows(data, mask)
            assert qr_symbol.rows(data, mask) == expected, (length, mask)
            versions.add(version)
    assert {1, 2, 7, 10} <= versions and max(versions) >= 20, sorted(versions)


def test_too_much_data_is_refused():
    with pytest.raises(ValueError):
        qr_symbol.version_for(2332)  # version 40 at M holds 2,331 bytes
    assert qr_symbol.version_for(2331) == 40


def test_the_png_is_one_bit_per_module_in_white_and_the_colour():
    url = "https://yks.example.gov.cn/code/scan/" + "Ab0-_" * 9 + "xyz"  # a token's 48 characters
    rows = qr_symbol.rows(url, qr.CODE_MASK)
    image = Image.open(io.BytesIO(qr.code_png(url, "#c62828")))
    border = qr.CODE_BORDER
    assert image.format == "PNG" and image.mode == "P" and image.size == (len(rows) + 2 * border,) * 2
    assert image.getpalette()[:6] == [255, 255, 255, 0xC6, 0x28, 0x28]
    pixels = image.load()
    for y in range(image.height):
        for x in range(image.width):
            inside = border <= x < image.width - border and border <= y < image.height - border
            dark = inside and rows[y - border][x - border] == "1"
            assert pixels[x, y] == (1 if dark else 0), (x, y)
    assert decoded(on_screen(qr.code_png(url, "#c62828"))) == [url]
    assert qr.code_png_uri(url, "#c62828").startswith("data:image/png;base64,iVBORw0KGgo")


def test_a_code_whose_modules_also_read_as_an_itf_barcode_decodes_to_its_one_qr():
    """This token's 粤康码 also holds an Interleaved 2 of 5 barcode, "1572", for a reader that looks for every
    format (a CI run of test_health_code failed on it). The tests read QRs as a QR-only scanner does
    (code_qr.qr_codes)."""
    url = "http://yks.test/code/scan/BCbbJrm_QoE-i5_xCH19f9NF5OF3tiYNIjN0XMeza2x0v2WQ"
    image = on_screen(qr.code_png(url, "#1a9e4b"))
    assert sorted(found.text for found in zxingcpp.read_barcodes(image)) == ["1572", url]
    assert decoded(image) == [url]
