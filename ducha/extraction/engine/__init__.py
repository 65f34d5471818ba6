"""Report extraction engine: plain Chinese text in, the SCHEMA.md dict out.

Pure Python (no Django) so that the CLI, the web import and the benchmark share one code path.
"""

from .extract import extract_document
from .text import ExtractionError, decode_bytes

__all__ = ["ExtractionError", "decode_bytes", "extract_document"]
