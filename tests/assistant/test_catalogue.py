"""The rules live as data: the catalogue and the phrases load, are checked, and are all used.

A broken file stops the start with one ConfigError naming the entry; every entry is read by
the assistant's code and every name the code asks for exists; the code itself holds almost
no Japanese literals any more (the rules and the wording are in the two files).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from assistant.catalogue import (
    CATALOGUE_PATH,
    SCOPES,
    Pattern,
    Table,
    Text,
    Words,
    load_catalogue,
    rules,
)
from assistant.phrases import PHRASES_PATH, load_phrases, phrase, phrases
from core import ConfigError

from .japanese_literals import japanese_literals

ASSISTANT = Path(CATALOGUE_PATH).parent
_MAX_JAPANESE_LITERALS = 80
_SECTIONS = ("cues", "marks", "patterns", "stopwords", "paraphrases", "years", "places", "names")
_SECTIONS += ("text", "spoken")
_NAME = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")  # a dotted entry name


def _code_strings() -> tuple[set[str], set[str]]:
    """String literals of the assistant's code: whole ones, and the fixed starts of f-strings
    (``f"cues.asked.{a}"`` → ``cues.asked.``)."""
    whole: set[str] = set()
    starts: set[str] = set()
    for path in ASSISTANT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    starts.add(first.value)
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in parts
            ):
                whole.add(node.value)
    return whole, starts


WHOLE, STARTS = _code_strings()


def _used(name: str) -> bool:
    return name in WHOLE or any(name.startswith(s) for s in STARTS if "." in s)


# -- loading and checking ------------------------------------------------------------------------


def test_the_bundled_catalogue_loads_with_a_valid_scope_on_every_entry() -> None:
    catalogue = rules()
    assert len(catalogue.entries) > 100
    for entry in catalogue.entries.values():
        assert entry.scope in SCOPES, entry.name
        if isinstance(entry, Table):
            assert set(entry.scopes.values()) <= set(SCOPES), entry.name
    scopes = {e.scope for e in catalogue.entries.values()}
    assert scopes == {"generic", "report"}  # both kinds of rule are told apart


PATTERNS = sorted(n for n, e in rules().entries.items() if isinstance(e, Pattern))


@pytest.mark.parametrize("name", PATTERNS)
def test_a_pattern_finds_its_examples_and_not_its_counter_examples(name: str) -> None:
    entry = rules().entries[name]
    assert isinstance(entry, Pattern)
    assert entry.examples and entry.counter_examples, f"{name} needs both kinds of example"
    compiled = entry.compiled(**entry.sample_terms)
    for text in entry.examples:
        assert compiled.search(text), f"{name} misses {text!r}"
    for text in entry.counter_examples:
        assert not compiled.search(text), f"{name} finds {text!r}"


def test_every_fragment_is_used_by_a_pattern() -> None:
    source = CATALOGUE_PATH.read_text(encoding="utf-8")
    for fragment in rules().fragments:
        assert "${" + fragment + "}" in source, fragment


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('[cues.bad]\nscope = "generic"\npattern = "(unclosed"\n', "does not compile"),
        ('[cues.bad]\nscope = "local"\nwords = ["a"]\n', "scope"),
        ('[cues.bad]\nscope = "generic"\n', "exactly one of"),
        ('[cues.bad]\nscope = "generic"\nwords = ["a", "a"]\n', "twice"),
        ('[cues.bad]\nscope = "generic"\ninclude = ["cues.none"]\nwords = ["a"]\n', "cues.none"),
        ('[cues.bad]\nscope = "generic"\npattern = "${nowhere}"\n', "nowhere"),
        ('[cues.bad]\nscope = "generic"\nwords = ["a"]\nwhen = 1\n', "unknown keys"),
        ('[cues.bad]\nscope = "generic"\ntable = { a = true }\n', "cues.bad.a"),
    ],
)
def test_a_malformed_catalogue_is_a_config_error_naming_the_entry(
    tmp_path: Path, body: str, problem: str
) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text('[cues.fine]\nscope = "generic"\nwords = ["ok"]\n' + body, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"cues\.bad") as caught:
        load_catalogue(path)
    assert problem in str(caught.value)


_SPOKEN = '[spoken.dropped_particles]\nscope = "generic"\nwords = ["を", "が"]\n'


def test_a_cue_also_fires_without_the_particle_a_casual_question_drops(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text(
        _SPOKEN
        + '[cues.spend]\nscope = "generic"\nwords = ["お金をかけ", "人が来", "率を"]\n'
        + '[stopwords.kept]\nscope = "generic"\nwords = ["お金をかけ"]\n',
        encoding="utf-8",
    )
    catalogue = load_catalogue(path)
    spend = catalogue.words("cues.spend")
    assert spend.words == ("お金をかけ", "人が来", "率を", "お金かけ", "人来")
    assert spend.found_in("どれくらいお金かけるの") and "人来" in spend.as_set
    assert "率" not in spend.as_set  # nothing follows the particle: no word is left to fire
    assert catalogue.words("stopwords.kept").words == ("お金をかけ",)  # only cues are read so


def test_a_cue_list_spelling_out_a_derived_form_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text(
        _SPOKEN + '[cues.bad]\nscope = "generic"\nwords = ["お金をかけ", "お金かけ"]\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"cues\.bad.*お金かけ.*derives"):
        load_catalogue(path)


def test_an_unreadable_catalogue_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.toml"
    path.write_text("[cues\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"catalogue\.toml"):
        load_catalogue(path)


def test_a_pattern_naming_a_corpus_term_needs_its_value() -> None:
    with pytest.raises(ConfigError, match="city_stem"):
        rules().pattern("patterns.profile.years_in_city")
    years = rules().pattern("patterns.profile.years_in_city", city_stem="横浜")
    assert years.search("横浜で10年")
    # A report without a city: that alternative never matches, the rest still does.
    unnamed = rules().pattern("patterns.profile.years_in_city", city_stem="")
    assert unnamed.search("市内で10年") and not unnamed.search("横浜で10年")


# -- everything is used, everything used exists --------------------------------------------------


@pytest.mark.parametrize("name", sorted(rules().entries))
def test_every_entry_is_read_by_the_assistant(name: str) -> None:
    included = {
        other
        for entry in CATALOGUE_PATH.read_text(encoding="utf-8").split("include = [")[1:]
        for other in re.findall(r'"([^"]+)"', entry.split("]")[0])
    }
    assert _used(name) or name in included, f"{name} is read by no code"


def test_every_entry_the_code_names_exists() -> None:
    named = {s for s in WHOLE if s.split(".")[0] in _SECTIONS and _NAME.fullmatch(s)}
    assert named, "the code names its rules by literal"
    assert sorted(named - set(rules().entries)) == []


def test_phrases_load_and_every_template_is_used_and_exists() -> None:
    loaded = phrases()
    assert sorted(k for k in loaded.templates if not _used(k)) == []
    sections = {k.split(".")[0] for k in loaded.templates}
    named = {s for s in WHOLE if s.split(".")[0] in sections and _NAME.fullmatch(s)}
    assert sorted(named - set(loaded.templates)) == []


def test_a_phrase_takes_exactly_its_fields() -> None:
    assert phrase("gap.article", number=26) == "条例第26条"
    with pytest.raises(ConfigError, match=r"gap\.article"):
        phrase("gap.article")
    with pytest.raises(ConfigError, match="no template"):
        phrase("gap.nowhere")


def test_a_malformed_phrases_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "phrases.toml"
    path.write_text('[decline]\nlead = "{0}について"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"decline\.lead"):
        load_phrases(path)
    assert load_phrases(PHRASES_PATH).templates


def test_text_entries_fill_corpus_terms() -> None:
    entry = rules().entries["stopwords.bigrams.question"]
    assert isinstance(entry, Text)
    filled = rules().text("stopwords.bigrams.question", city="横浜市", city_stem="横浜")
    assert "横浜市の横浜って" in filled and "${" not in filled
    assert isinstance(rules().entries["cues.asked.phone"], Words)


# -- the code holds the logic, the files hold the Japanese --------------------------------------


def test_the_assistant_code_holds_few_japanese_literals() -> None:
    found = {p.name: japanese_literals(p) for p in sorted(ASSISTANT.rglob("*.py"))}
    total = sum(len(v) for v in found.values())
    assert total <= _MAX_JAPANESE_LITERALS, {k: len(v) for k, v in found.items() if v}


def test_the_literal_counter_skips_docstrings_and_counts_f_string_parts(tmp_path: Path) -> None:
    source = '"""説明。"""\n\ndef f(x):\n    """関数。"""\n    return f"{x}は" + "abc" + "名前"\n'
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    assert sorted(text for _, text in japanese_literals(path)) == sorted(["は", "名前"])
