"""Page map: footers + programme record pages, interpolation, None when unknowable."""

from __future__ import annotations

from ingest.models import Programme, Span
from ingest.pages import PageMap


def _programme(first: int, page: int) -> Programme:
    return Programme(
        id=str(first),
        name=f"p{first}",
        article=12,
        focus=True,
        page=page,
        lines=Span(1, 1),
        record_lines=Span(first, first + 5),
    )


def _lines(n: int, footers: dict[int, str]) -> list[str]:
    return [footers.get(i + 1, "本文です。") for i in range(n)]


def test_footer_closes_its_page():
    lines = _lines(400, {100: "- 5 -", 200: "- 6 -", 300: "テキスト。 - 7 -"})
    pages = PageMap.build(lines)
    assert pages.page(100) == 5
    assert pages.page(101) == 6
    assert pages.page(150) == 6
    assert pages.page(200) == 6
    assert pages.page(201) == 7
    assert pages.page(300) == 7  # a footer glued to a text line counts too
    assert pages.page(301) == 8


def test_unknowable_far_from_anchors():
    lines = _lines(1000, {400: "- 5 -", 500: "- 6 -"})
    pages = PageMap.build(lines)
    assert pages.page(350) == 5  # within one page length of an anchor
    assert pages.page(10) is None
    assert pages.page(560) == 7
    assert pages.page(900) is None


def test_programme_pages_are_anchors_and_interpolated():
    lines = _lines(1000, {100: "- 3 -"})
    pages = PageMap.build(lines, [_programme(300, 5), _programme(700, 9)])
    assert pages.page(300) == 5
    assert pages.page(700) == 9
    assert pages.page(500) == 7
    assert 4 <= pages.page(200) <= 5


def test_backwards_anchor_is_ignored():
    lines = _lines(600, {100: "- 3 -", 500: "- 7 -"})
    pages = PageMap.build(lines, [_programme(300, 1)])
    assert all(pages.page(n) >= 3 for n in range(100, 501))


def test_no_anchors():
    assert PageMap.build(["a", "b"]).page(1) is None
