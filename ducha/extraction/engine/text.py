"""Decoding, width normalisation and the split of a report into paragraphs and sentences.

Every transformation here keeps character offsets, so evidence offsets computed on the
working text point at the same characters of the decoded input.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple


class ExtractionError(ValueError):
    """The input cannot be read as a text report."""


# Share of undecodable bytes (or NULs) from which we call the input binary, not text.
MAX_BAD_SHARE = 0.02


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 or GB18030 text, line by line when a file mixes the two.

    Raises ExtractionError for binary input rather than returning mojibake."""
    if not isinstance(data, (bytes, bytearray)):
        raise ExtractionError("expected bytes")
    data = bytes(data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:  # no text file holds NUL; UTF-16 is not supported either
        raise ExtractionError("input looks binary (NUL bytes), not a UTF-8 or GB18030 text")
    for encoding in ("utf-8", "gb18030"):
        try:
            return _reject_controls(data.decode(encoding))
        except UnicodeDecodeError:
            pass
    # mixed files (a GBK paragraph pasted into a UTF-8 report): decode each line on its own
    lines, bad = [], 0
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        text = line.decode("gb18030", errors="replace")
        bad += text.count("\ufffd")
        lines.append(text)
    if bad > MAX_BAD_SHARE * max(len(data), 1):
        raise ExtractionError("input is neither UTF-8 nor GB18030 text")
    return _reject_controls("\n".join(lines))


_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")


def _reject_controls(text: str) -> str:
    """GB18030 decodes most byte soups; control characters give binary data away."""
    if len(_CONTROL.findall(text[:65536])) > MAX_BAD_SHARE * min(len(text), 65536):
        raise ExtractionError("input looks binary (control characters), not a text report")
    return text


# Full-width ASCII (！to ～) and the ideographic space map one-to-one onto ASCII, so the
# length is unchanged. Chinese punctuation that carries meaning (、。“”) stays as it is.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update(
    {
        0x3000: 0x20,
        0x00A0: 0x20,
        0x2014: 0x2D,
        0x2013: 0x2D,
        0xFF5E: 0x7E,
        0x301C: 0x7E,
        0x2212: 0x2D,
        0x3007: 0x3007,
        0x200B: 0x20,
        0xFEFF: 0x20,
    }
)


# The characters normalise changes, in runs: translating only those is 5× faster than
# translating every character of a Chinese text (str.translate looks each one up).
_WIDE = re.compile("[" + re.escape("".join(sorted(chr(c) for c in _WIDTH))) + "]+")


def _narrow(m: re.Match) -> str:
    return m.group().translate(_WIDTH)


def normalise(text: str) -> str:
    """Half-width digits, letters and punctuation; dashes to '-'; same length as the input."""
    return _WIDE.sub(_narrow, text)


class Piece(NamedTuple):
    """A stretch of the working text copied from the input at `origin` (a named tuple: a long
    report has one per line and per figure, and tuples are the cheapest to make)."""

    start: int  # offset in the working text
    origin: int  # offset in the input text


class Layout:
    """The working text: paragraphs cut by a page or column break are glued back together,
    and photo captions are kept as paragraphs of their own. Maps offsets back to the input."""

    def __init__(self, text: str, pieces: list[Piece], paragraphs: list[tuple[int, int]]):
        self.text = text
        self.pieces = pieces
        self.paragraphs = paragraphs  # (start, end) in the working text
        self._starts = [p.start for p in pieces]
        self._para_starts = [p[0] for p in paragraphs]
        self.sentences = [m.span() for m in _SENTENCE.finditer(text)]
        self._sentence_starts = [s[0] for s in self.sentences]
        self._evidence: dict[tuple[int, int], dict] = {}

    def origin(self, offset: int) -> int:
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return offset
        return self.pieces[i].origin + offset - self.pieces[i].start

    def paragraph_of(self, offset: int) -> int:
        return max(bisect_right(self._para_starts, offset) - 1, 0)

    def sentence_of(self, offset: int) -> int:
        return max(bisect_right(self._sentence_starts, offset) - 1, 0)

    def sentences_in(self, start: int, end: int):
        """The sentences that start in [start, end), cut at end."""
        i = self.sentence_of(start)
        while i < len(self.sentences) and self.sentences[i][0] < end:
            s_start, s_end = self.sentences[i]
            if s_end > start:
                yield max(s_start, start), min(s_end, end)
            i += 1

    def evidence(self, start: int, end: int) -> dict:
        """The source sentence of a fact found at [start, end), with offsets in the input."""
        first = self.sentences[self.sentence_of(start)] if self.sentences else (start, end)
        last = self.sentences[self.sentence_of(max(end - 1, start))] if self.sentences else first
        s, e = first[0], last[1]
        known = self._evidence.get((s, e))  # several facts of one sentence share its evidence
        if known is None:
            known = self._evidence[s, e] = {
                "text": self.text[s:e].replace("\n", ""),
                "start": self.origin(s),
                "end": self.origin(max(e - 1, s)) + 1,
            }
        return dict(known)


# A paragraph that stops mid-sentence (no closing punctuation) and is long enough to be body
# text continues in the next body paragraph: newspapers break columns anywhere, even inside
# a name ("局长朱" / "志洪认为").
_CLOSED = re.compile(r"[。！？!?；;:：”」』)）\]】…—-]\s*$")
_CAPTION = re.compile(r"(?:/?摄|摄影)\s*$|^\s*[(（]?(?:上接|下转)")
_CONTINUE_MIN = 30


# Headlines and mastheads separate phrases with spaces; body text never does.
_SPACED = re.compile(r"[\u4e00-\u9fff”]\s+[\u4e00-\u9fff“]")


def is_body(line: str) -> bool:
    return not _SPACED.search(line) and not line.startswith("本报讯")


def is_caption(line: str) -> bool:
    """Photo captions and jump lines end in 摄 (photographer) and stand apart from body text."""
    return bool(_CAPTION.search(line)) and len(line) < 120


# Spaces between a figure and its words (上半年策划入库项目 931 个): dropped from the working text.
_NUMBER_SPACE = re.compile(r"(?<=[\d\u4e00-\u9fff%]) +(?=\d)|(?<=\d) +(?=[\u4e00-\u9fff%])")
# (the same spaces, found from the space they open on: the regex engine looks for it first)
_NUMBER_SPACE = re.compile(r" (?:(?<=[\d\u4e00-\u9fff%] ) *(?=\d)|(?<=\d ) *(?=[\u4e00-\u9fff%]))")


def _squeeze(line: str, origin: int) -> tuple[str, list[tuple[int, int]]]:
    """The line without the spaces around its figures, and where each stretch of it comes from:
    (offset in the squeezed line, offset in the input)."""
    if " " not in line:
        return line, [(0, origin)]
    out: list[str] = []
    frags = [(0, origin)]
    length = last = 0
    for m in _NUMBER_SPACE.finditer(line):
        out.append(line[last : m.start()])
        length += m.start() - last
        last = m.end()
        frags.append((length, origin + last))
    out.append(line[last:])
    return "".join(out), frags


def layout(text: str) -> Layout:
    """Split into paragraphs (non-empty lines), gluing cut paragraphs back together."""
    parts: list[str] = []
    pieces: list[Piece] = []
    paragraphs: list[tuple[int, int]] = []
    pos = 0  # offset in the working text
    open_start = -1  # working offset of a paragraph waiting for its continuation
    held: list[tuple[str, list[tuple[int, int]]]] = []  # captions met while a paragraph waits
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group()
        line = raw.strip()
        if not line:
            continue
        line, frags = _squeeze(line, match.start() + (len(raw) - len(raw.lstrip())))
        if open_start >= 0 and is_caption(line):
            held.append((line, frags))
            continue
        if open_start >= 0 and not is_body(line):  # a headline: the cut paragraph ends here
            paragraphs.append((open_start, pos))
            parts.append("\n")
            pos += 1
            open_start = -1
            for caption, cfrags in held:
                parts.append(caption)
                pieces.extend(Piece(pos + o, g) for o, g in cfrags)
                paragraphs.append((pos, pos + len(caption)))
                pos += len(caption)
                parts.append("\n")
                pos += 1
            held = []
        start = pos if open_start < 0 else open_start
        parts.append(line)
        pieces.extend(Piece(pos + o, g) for o, g in frags)
        pos += len(line)
        if (
            len(line) >= _CONTINUE_MIN
            and not _CLOSED.search(line)
            and not is_caption(line)
            and not _SPACED.search(line)
        ):
            open_start = start
            continue
        paragraphs.append((start, pos))
        open_start = -1
        for caption, cfrags in held:
            parts.append("\n")
            pos += 1
            parts.append(caption)
            pieces.extend(Piece(pos + o, g) for o, g in cfrags)
            paragraphs.append((pos, pos + len(caption)))
            pos += len(caption)
        held = []
        parts.append("\n")
        pos += 1
    if open_start >= 0:
        paragraphs.append((open_start, pos))
    for caption, cfrags in held:
        parts.append("\n")
        pos += 1
        parts.append(caption)
        pieces.extend(Piece(pos + o, g) for o, g in cfrags)
        paragraphs.append((pos, pos + len(caption)))
        pos += len(caption)
    return Layout("".join(parts), pieces, paragraphs)


# A sentence runs up to its closing mark (with a closing quote) or the end of its line.
_SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”」』]?)?|[。！？!?]+")
