"""From the bytes of a file to text, or a clear refusal.

Articles arrive as whatever a browser saved: UTF-8 with or without a BOM,
UTF-16, Windows-1252, or UTF-8 that was decoded wrongly once already
('Russiaâ€™s'). We decode UTF-8 strictly first, fall back to charset
detection (charset-normalizer), and repair mojibake (ftfy). Binary data,
empty input and input over the size limit are refused with one line.
"""

from __future__ import annotations

import codecs

from ..errors import InvalidData

__all__ = ["MAX_INPUT_BYTES", "decode_article"]

MAX_INPUT_BYTES = 20 * 1024 * 1024
_MOJIBAKE_HINTS = ("â€", "Ã", "Â", "Ð", "Ñ")


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:8192]
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) * 0.05


def decode_article(raw: bytes, name: str = "input") -> str:
    """Text of an article file; InvalidData (one line) when it is not text."""
    if len(raw) > MAX_INPUT_BYTES:
        raise InvalidData(f"{name}: larger than {MAX_INPUT_BYTES // 2**20} MB; not an article")
    if not raw.strip():
        raise InvalidData(f"{name}: empty")
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return _repair(raw.decode(codec))
            except UnicodeDecodeError:
                raise InvalidData(f"{name}: invalid {codec} text") from None
    if _looks_binary(raw):
        raise InvalidData(f"{name}: binary data, not an article")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = _detect(raw, name)
    return _repair(text)


def _detect(raw: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise InvalidData(f"{name}: not text in any encoding peace-tui can read")
    return str(best)


def _repair(text: str) -> str:
    if not any(h in text for h in _MOJIBAKE_HINTS):
        return text
    import ftfy

    return ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=False,
                         normalization="NFC")
