"""A QR symbol's modules, drawn fast for 出示粤康码's refresh (issue 14 item 3): byte mode, error correction M,
one fixed mask.

qrcode draws a symbol in about a millisecond with a fixed mask (eight times that when it chooses the mask):
its Reed–Solomon division is a polynomial object per step and it writes bit by bit. Every phone showing a code
asks for a new one each minute, so here the parts that never change are made once per version — the
function patterns, format and version information from qrcode itself, the order in which data modules are
filled and the mask over them — and an encoding is the data's codewords, a Reed–Solomon remainder by table
(one shift and XOR per codeword) and one permutation of bits. tests/test_qr_symbol.py checks the result is
module for module what qrcode draws for the same data, version and mask.
"""

from __future__ import annotations

import functools
import operator

from qrcode import base, util
from qrcode.constants import ERROR_CORRECT_M
from qrcode.main import QRCode

_PAD = (0xEC, 0x11)  # the pad codewords, in turn (ISO/IEC 18004 7.4.10)


def _capacity(version: int) -> int:
    """Data codewords of a version at error correction M."""
    return sum(block.data_count for block in base.rs_blocks(version, ERROR_CORRECT_M))


@functools.lru_cache(maxsize=8)
def _remainder_table(ec_count: int) -> tuple[int, ...]:
    """For each byte c, c × the generator polynomial of degree ec_count (its leading 1 dropped), as an integer of
    ec_count bytes, highest degree first: the Reed–Solomon division then takes one shift and one XOR a codeword."""
    generator = [1]  # coefficients, highest degree first: the product of (x − α^i), i < ec_count
    for i in range(ec_count):
        root = base.EXP_TABLE[i]
        shifted = [*generator, 0]
        for j, coefficient in enumerate(generator):
            if coefficient:
                shifted[j + 1] ^= base.EXP_TABLE[(base.LOG_TABLE[coefficient] + base.LOG_TABLE[root]) % 255]
        generator = shifted
    table = [0]
    for c in range(1, 256):
        log_c = base.LOG_TABLE[c]
        product = bytes(base.EXP_TABLE[(log_c + base.LOG_TABLE[g]) % 255] if g else 0 for g in generator[1:])
        table.append(int.from_bytes(product, "big"))
    return tuple(table)


def _ec_codewords(data: bytes, ec_count: int) -> bytes:
    table = _remainder_table(ec_count)
    top_shift, keep = 8 * (ec_count - 1), (1 << 8 * ec_count) - 1
    remainder = 0
    for byte in data:
        remainder = ((remainder << 8) & keep) ^ table[(remainder >> top_shift) ^ byte]
    return remainder.to_bytes(ec_count, "big")


class _Layout:
    """What a version and mask share: the function modules, where data goes, and the mask over it."""

    def __init__(self, version: int, mask: int):
        symbol = QRCode(version=version, error_correction=ERROR_CORRECT_M, mask_pattern=mask)
        size = symbol.modules_count = version * 4 + 17
        symbol.modules = [[None] * size for _ in range(size)]
        for row, col in ((0, 0), (size - 7, 0), (0, size - 7)):
            symbol.setup_position_probe_pattern(row, col)
        symbol.setup_position_adjust_pattern()
        symbol.setup_timing_pattern()
        symbol.setup_type_info(False, mask)
        if version >= 7:
            symbol.setup_type_number(False)
        self.size, self.blocks = size, base.rs_blocks(version, ERROR_CORRECT_M)
        self.capacity = _capacity(version)
        self.length_bits = util.length_in_bits(util.MODE_8BIT_BYTE, version)
        cells = self._data_cells(symbol.modules)
        self.data_bits = len(cells)
        flips = util.mask_func(mask)
        self.mask = int("".join("1" if flips(row, col) else "0" for row, col in cells), 2)
        # One string holds the data bits, then "0" and "1": each module of the symbol is an index into it.
        where = {cell: i for i, cell in enumerate(cells)}
        dark, light = len(cells) + 1, len(cells)
        order = [where[(r, c)] if symbol.modules[r][c] is None else (dark if symbol.modules[r][c] else light)
                 for r in range(size) for c in range(size)]
        self.pick = operator.itemgetter(*order)

    @staticmethod
    def _data_cells(modules: list[list]) -> list[tuple[int, int]]:
        """The free modules in the order data fills them: two columns at a time from the right, up then down,
        skipping the vertical timing column (as qrcode's map_data walks them)."""
        size, cells, upward = len(modules), [], True
        for right in range(size - 1, 0, -2):
            if right <= 6:
                right -= 1
            rows = range(size - 1, -1, -1) if upward else range(size)
            cells += [(r, c) for r in rows for c in (right, right - 1) if modules[r][c] is None]
            upward = not upward
        return cells


@functools.lru_cache(maxsize=16)
def _layout(version: int, mask: int) -> _Layout:
    return _Layout(version, mask)


def version_for(length: int) -> int:
    """The smallest version holding `length` bytes in byte mode at error correction M."""
    for version in range(1, 41):
        if 4 + util.length_in_bits(util.MODE_8BIT_BYTE, version) + 8 * length <= 8 * _capacity(version):
            return version
    raise ValueError(f"{length} bytes do not fit a QR code at error correction M")


def rows(data: str, mask: int) -> list[str]:
    """The symbol's rows, top to bottom, each a string of "1" (dark) and "0" (light), without a quiet zone."""
    payload = data.encode("utf-8")
    layout = _layout(version_for(len(payload)), mask)
    # Mode 0100, the length, the bytes, a terminator of up to four 0s, then 0s to a whole codeword.
    bits = ("0100" + format(len(payload), f"0{layout.length_bits}b")
            + format(int.from_bytes(payload, "big") | 1 << 8 * len(payload), "b")[1:])  # a leading 1 keeps 0s
    bits += "0" * min(4, 8 * layout.capacity - len(bits))
    bits += "0" * (-len(bits) % 8)
    codewords = int(bits, 2).to_bytes(len(bits) // 8, "big")
    codewords += bytes(_PAD[i % 2] for i in range(layout.capacity - len(codewords)))
    data_blocks, ec_blocks, offset = [], [], 0
    for block in layout.blocks:
        chunk = codewords[offset:offset + block.data_count]
        offset += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_ec_codewords(chunk, block.total_count - block.data_count))
    stream = bytes(_interleave(data_blocks) + _interleave(ec_blocks))
    # The remainder modules (past the last codeword) are light before the mask.
    value = (int.from_bytes(stream, "big") << (layout.data_bits - 8 * len(stream))) ^ layout.mask
    modules = "".join(layout.pick(format(value, f"0{layout.data_bits}b") + "01"))
    return [modules[i:i + layout.size] for i in range(0, layout.size * layout.size, layout.size)]


def _interleave(blocks: list[bytes]) -> list[int]:
    """Codeword i of each block in turn (the shorter blocks run out first)."""
    longest = max(len(block) for block in blocks)
    return [block[i] for i in range(longest) for block in blocks if i < len(block)]
