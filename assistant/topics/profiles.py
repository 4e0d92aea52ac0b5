"""Topic profiles: the short texts that say what each topic is about, read from the records.

A programme is described by its name and short names, its plan, its support menus, its
activities, its KPI indicators and its contacts; an article by its title and paragraphs; a
section key by the titles and opening text of its sections. Everything comes from the corpus
records, so next year's report brings its own profiles. Each passage is compared with the
question by the embedder; all of a topic's passages together form its BM25 document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.topics.models import Topic
from ingest import Article, Corpus, Programme, Section

__all__ = ["TopicProfile", "build_profiles"]

SUMMARY_CHARS = 200  # opening text of a section that summarises it
_MIN_HEADING = 2


@dataclass(frozen=True, slots=True)
class TopicProfile:
    topic: Topic
    passages: tuple[str, ...]  # non-empty, distinct, in record order


def build_profiles(
    corpus: Corpus,
    short_names: Callable[[str], Iterable[str]] | None = None,
    summary_chars: int = SUMMARY_CHARS,
) -> tuple[TopicProfile, ...]:
    """Profiles of every programme, article and section key, in corpus order.

    ``short_names(programme_id)`` gives the forms people type for a programme (the alias
    index's short forms and acronyms)."""
    profiles = [_programme(p, short_names) for p in corpus.programmes]
    profiles += [_article(a) for a in corpus.articles]
    by_key: dict[str, list[Section]] = {}
    for section in corpus.sections:
        by_key.setdefault(section.key, []).append(section)
    profiles += [_sections(key, members, summary_chars) for key, members in by_key.items()]
    return tuple(profiles)


def _programme(
    programme: Programme, short_names: Callable[[str], Iterable[str]] | None
) -> TopicProfile:
    aliases = [a for a in (short_names(programme.id) if short_names else ()) if a]
    texts = [" ".join(dict.fromkeys([programme.name, *aliases]))]
    if programme.plan is not None:
        texts.append(programme.plan.text)
    texts.extend(f"{m.name} {m.text}" for m in programme.support_menus)
    texts.extend(block.text for block in programme.activities)
    texts.append("、".join(k.indicator for k in programme.kpis))
    texts.append(" ".join(f"{c.name} {c.description or ''}" for c in programme.contacts))
    return TopicProfile(Topic("programme", programme.id, programme.name), _distinct(texts))


def _article(article: Article) -> TopicProfile:
    texts = [f"{article.label} {article.title}"]
    for paragraph in article.paragraphs:
        items = "".join(item.text for item in paragraph.items)
        texts.append(paragraph.text + items)
    titled = article.title and article.title != article.label
    name = f"{article.label}（{article.title}）" if titled else article.label
    return TopicProfile(Topic("article", str(article.number), name), _distinct(texts))


def _sections(key: str, sections: list[Section], summary_chars: int) -> TopicProfile:
    texts = [f"{s.title} {s.text[:summary_chars]}" for s in sections]
    titles = list(dict.fromkeys(s.title for s in sections))
    # The sections' shared heading (市内産業の現状 …) names them all; unrelated titles
    # (one column per programme) are listed instead.
    shared = _shared_prefix(titles).rstrip(" (（")
    name = shared if len(shared) >= _MIN_HEADING else " / ".join(titles)
    return TopicProfile(Topic("section", key, name), _distinct(texts))


def _distinct(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


def _shared_prefix(texts: list[str]) -> str:
    first, last = min(texts), max(texts)  # the extremes differ where any two first differ
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]
