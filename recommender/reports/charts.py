"""Geometry of the reports' inline SVG charts; the templates only draw what is computed here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Stop:
    """One level on the collaboration continuum."""

    id: str
    label: str
    x: float
    recommended: bool


@dataclass(frozen=True)
class Continuum:
    width: int
    height: int
    line_y: int
    start_x: float
    end_x: float
    stops: tuple[Stop, ...]


def continuum(levels: Sequence[tuple[str, str]], recommended: str, *, width: int = 640) -> Continuum:
    """The levels ``(id, title)`` spread evenly along a line, the recommended one marked."""
    margin = width / (2 * len(levels))
    step = (width - 2 * margin) / max(len(levels) - 1, 1)
    stops = tuple(
        Stop(id=level_id, label=title, x=round(margin + i * step, 1), recommended=level_id == recommended)
        for i, (level_id, title) in enumerate(levels)
    )
    return Continuum(width=width, height=86, line_y=40, start_x=stops[0].x, end_x=stops[-1].x, stops=stops)


@dataclass(frozen=True)
class Bar:
    id: str
    label: str
    score: int
    x: float
    y: int
    width: float
    recommended: bool
    text_x: float


@dataclass(frozen=True)
class Bars:
    width: int
    height: int
    zero_x: float
    bar_height: int
    bars: tuple[Bar, ...]


def score_bars(
    scores: Sequence[tuple[str, str, int]], recommended: str, *, width: int = 640, label_width: int = 190
) -> Bars:
    """Horizontal bars for ``(id, title, score)``, drawn from a zero line (scores may be negative)."""
    bar_height, gap, value_room = 22, 10, 40
    low = min(0, *(s for _, _, s in scores))
    high = max(1, *(s for _, _, s in scores))
    scale = (width - label_width - 2 * value_room) / (high - low)
    zero_x = label_width + value_room + (-low) * scale
    bars = []
    for i, (mode_id, title, score) in enumerate(scores):
        left = zero_x + min(0, score) * scale
        size = abs(score) * scale
        text_x = left + size + 6 if score >= 0 else left - 6
        bars.append(
            Bar(
                id=mode_id,
                label=title,
                score=score,
                x=round(left, 1),
                y=i * (bar_height + gap) + gap,
                width=round(size, 1),
                recommended=mode_id == recommended,
                text_x=round(text_x, 1),
            )
        )
    height = len(bars) * (bar_height + gap) + gap
    return Bars(width=width, height=height, zero_x=round(zero_x, 1), bar_height=bar_height, bars=tuple(bars))


@dataclass(frozen=True)
class Tick:
    label: str
    x: float


@dataclass(frozen=True)
class Gauge:
    width: int
    height: int
    left: float
    track_width: float
    fill_width: float
    score: int
    ticks: tuple[Tick, ...]


def gauge(score: int, thresholds: Sequence[tuple[str, int]], *, width: int = 640) -> Gauge:
    """A 0-100 track filled to ``score``, with a tick at each band's ``(title, min_score)``."""
    left, track = 10.0, width - 60.0
    ticks = tuple(Tick(label=title, x=round(left + track * low / 100, 1)) for title, low in thresholds)
    return Gauge(
        width=width,
        height=70,
        left=left,
        track_width=track,
        fill_width=round(track * score / 100, 1),
        score=score,
        ticks=ticks,
    )
