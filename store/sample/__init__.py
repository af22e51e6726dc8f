"""The bundled sample: the seed article, its actors, quotes and proposals."""

from __future__ import annotations

from importlib import resources

from ..db import Bundle
from ..exchange import parse_json

__all__ = ["load_sample", "sample_bytes"]


def sample_bytes() -> bytes:
    return resources.files("store.sample").joinpath("sample.json").read_bytes()


def load_sample() -> Bundle:
    return parse_json(sample_bytes(), "bundled sample")
