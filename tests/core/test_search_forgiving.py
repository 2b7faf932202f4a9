"""A search that forgives and knows the field (issue 10.3): typos, acronyms and synonyms, national lines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pare_desktop.core.directory import Directory
from pare_desktop.core.records import SearchQuery
from pare_desktop.core.search import synonyms
from pare_desktop.core.search.fuzzy import Vocabulary, max_edits


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    d = Directory.open(tmp_path_factory.mktemp("demo") / "pare.sqlite")
    yield d
    d.close()


def names(d: Directory, text: str, n: int = 5) -> list[str]:
    return [s.name for s in d.get_many(list(d.search(SearchQuery(text=text, limit=n)).ids))]


TYPOS = {  # mistyped query -> what a found record must be about
    "mayote": lambda s: s.departement == "976",
    "guyanne": lambda s: s.departement == "973",
    "ecuote": lambda s: "écoute" in (s.name + s.description).lower(),
    "psycologue": lambda s: "soutien-psychologique" in s.supports,
    "maison des adolecents": lambda s: "maison des adolescents" in s.name.lower(),
}


@pytest.mark.parametrize("typo", list(TYPOS))
def test_typos_find_and_are_flagged_approximate(demo: Directory, typo: str) -> None:
    result = demo.search(SearchQuery(text=typo))
    assert result.total > 0, typo
    assert result.approximate, "the result says it was found approximately"
    assert any(map(TYPOS[typo], demo.get_many(list(result.ids[:10]))))
    assert demo.search_rows(SearchQuery(text=typo)).approximate == result.approximate


def test_exact_words_are_not_approximate_and_short_words_are_not_stretched(demo: Directory) -> None:
    assert demo.search(SearchQuery(text="mayotte")).approximate == ()
    assert demo.search(SearchQuery(text="maison des adolecents")).approximate == ("adolecents",)
    assert demo.search(SearchQuery(text="zqx")).total == 0  # under 4 letters: no typo tolerance
    assert max_edits("abc") == 0 and max_edits("ecoute") == 1 and max_edits("adolecents") == 2
    assert max_edits("1199") == 0


def test_as_you_type_prefix_with_a_typo(demo: Directory) -> None:
    assert demo.search(SearchQuery(text="psycolo")).total > 0
    assert "psycholo" in Vocabulary(["maison", "psychiatre", "psychologique"]).near("psycolo")


@pytest.mark.parametrize("acronym", ["ASE", "CRIP", "MDA", "UAPED", "PJJ", "CMP", "CeGIDD", "CSAPA",
                                     "CAARUD", "PMI", "MPF", "psy", "ado"])
def test_field_acronyms_find(demo: Directory, acronym: str) -> None:
    assert demo.search(SearchQuery(text=acronym)).total > 0, acronym


def test_mda_finds_the_maisons_des_adolescents(demo: Directory) -> None:
    found = names(demo, "mda", 50)
    assert sum("maison des adolescents" in n.lower() for n in found) >= 10


def test_synonym_list_is_documented_and_parsed() -> None:
    table = synonyms.table()
    for key in ("ase", "crip", "mda", "uaped", "pjj", "cmp", "cmpp", "cegidd", "csapa", "caarud", "pmi",
                "bpdj", "mpf", "psy", "ado"):
        assert table.get(key), key
    assert ("maison", "adolescents") in table["mda"]  # small words dropped
    parsed = synonyms.parse("# commentaire\nFoo = bar baz ; qux\nfoo = autre\nmal formé = x\n")
    assert parsed == {"foo": (("bar", "baz"), ("qux",), ("autre",))}


def test_national_line_that_answers_the_need_ranks_first(demo: Directory) -> None:
    """« ecoute »: the 119 first (it was 30th behind 26 local lines)."""
    assert demo.search(SearchQuery(text="ecoute", limit=1)).ids == ("reference:119",)
    assert names(demo, "harcelement", 1) == ["3020 – Non au harcèlement"]
