"""The WebAssembly binary format's primitives: bytes, LEB128 integers (read and written),
bounded reads.

Its own module, with no dataclasses, because edgebox-exec uses it on every start
(limits.cap_module) and wasm_types is costly to import (~4 ms); wasm_types builds
its typed reader on this one.
"""

from __future__ import annotations


class WasmReader:
    """Reads the binary format from `pos` up to `end`; a read past `end` is a ValueError."""

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None):
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end

    def byte(self) -> int:
        if self.pos >= self.end:
            raise ValueError("unexpected end of section")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def uleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    def sleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                if b & 0x40:
                    result -= 1 << shift
                return result

    def bytes(self, n: int) -> bytes:
        if self.pos + n > self.end:
            raise ValueError("unexpected end of section")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def name(self) -> str:
        return self.bytes(self.uleb()).decode("utf-8")

    def reftype(self) -> None:
        """Skip a reference type: one byte, or (ref null? heaptype)."""
        if self.byte() in (0x63, 0x64):
            self.sleb()

    def const_expr(self) -> set[int]:
        """Read a constant expression up to its `end`: the functions its `ref.func`s name."""
        funcs: set[int] = set()
        while True:
            op = self.byte()
            if op == 0x0B:
                return funcs
            if op in (0x41, 0x42):
                self.sleb()
            elif op == 0x43:
                self.bytes(4)
            elif op == 0x44:
                self.bytes(8)
            elif op == 0x23:
                self.uleb()
            elif op == 0xD2:
                funcs.add(self.uleb())
            elif op == 0xD0:
                self.sleb()  # a heap type
            elif op == 0xFD:
                self.uleb()
                self.bytes(16)
            elif op == 0xFB:
                self.uleb()
                # GC constant instructions carry type/immediates we do not need here
                self.uleb()
            # arithmetic (extended-const) ops carry no immediates


def uleb128(n: int) -> bytes:
    """Unsigned LEB128, as WasmReader.uleb reads it."""
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb128(n: int) -> bytes:
    """Signed LEB128, as WasmReader.sleb reads it."""
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)
