"""Tests of the search index: text, territories, filters, facets, sorting, paging, persistence, merging."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pare_desktop.core.records import Area, SearchQuery, Structure
from pare_desktop.core.search.build import _fold
from pare_desktop.core.search.engine import SearchIndex, TerritoryNames, search, search_many
from pare_desktop.core.text import tokens as _tokens

NAMES = TerritoryNames(
    departements={
        "974": "La Réunion",
        "976": "Mayotte",
        "971": "Guadeloupe",
        "33": "Gironde",
        "24": "Dordogne",
        "75": "Paris",
        "988": "Nouvelle-Calédonie",
    },
    regions={
        "04": "La Réunion",
        "06": "Mayotte",
        "01": "Guadeloupe",
        "75": "Nouvelle-Aquitaine",
        "11": "Île-de-France",
    },
    region_of={"974": "04", "976": "06", "971": "01", "33": "75", "24": "75", "75": "11"},
)
MONDAY_10_PARIS = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def s(sid: str, name: str, **kw: Any) -> Structure:
    kw.setdefault("type", "urgence")
    return Structure(id=f"t:{sid}", source="t", source_id=sid, name=name, **kw)


CORPUS = [
    s(
        "reu",
        "Maison des adolescents de La Réunion",
        departement="974",
        region="04",
        commune="Saint-Denis",
        latitude=-20.88,
        longitude=55.45,
        timezone="Indian/Reunion",
        opening_hours="Mo-Fr 08:00-17:00",
        supports=("soutien-psychologique",),
        publics=("mineurs-victimes",),
        modalities=("gratuit", "telephone"),
        updated=date(2025, 1, 1),
    ),
    s(
        "119",
        "Allô enfance en danger 119",
        type="ligne-ecoute-nationale",
        area=Area(national=True),
        description="Écoute 24 h/24",
        departement="75",
        region="11",
        opening_hours="24/7",
        supports=("ecoute-information-orientation",),
        modalities=("telephone", "gratuit", "anonymat"),
        updated=date(2025, 5, 1),
    ),
    s(
        "gpe",
        "Point accueil jeunes",
        departement="33",
        region="75",
        area=Area(communes=("97105",)),
        description="Une équipe d'écoute",
        latitude=44.84,
        longitude=-0.58,
        modalities=("gratuit",),
        publics=("parents-proches",),
        type="sante-ado-psy",
        updated=date(2024, 1, 1),
    ),
    s(
        "bdx",
        "Écoute Bordeaux",
        departement="33",
        region="75",
        latitude=44.83,
        longitude=-0.57,
        opening_hours="Mo-Fr 09:00-18:00",
        publics=("mineurs-victimes", "parents-proches"),
    ),
    s("pro", "Foyer confidentiel", departement="24", region="75", visibility="pro", type="hebergement"),
    s(
        "nou",
        "Relais Nouméa",
        departement="988",
        timezone="Pacific/Noumea",
        opening_hours="Mo-Fr 08:00-17:00",
        area=Area(regions=("75",)),
    ),
]


def ids(index: SearchIndex, **kw: Any) -> list[str]:
    return list(search(index, SearchQuery(**kw), now=MONDAY_10_PARIS).ids)


def test_fold_and_tokens() -> None:
    assert _fold("Œuvre RÉUNION") == "oeuvre reunion"
    assert _tokens("l'écoute, Saint-Denis") == ["l", "ecoute", "saint", "denis"]


def test_accents_case_and_prefix() -> None:
    ix = SearchIndex.build(CORPUS, NAMES)
    assert "t:reu" in ids(ix, text="reunion")
    assert set(ids(ix, text="ecoute")) >= {"t:bdx", "t:119", "t:gpe"}
    assert ids(ix, text="bo") == ids(ix, text="bord") == ["t:bdx"]
    assert ids(ix, text="maison reun") == ["t:reu"]
    assert ids(ix, text="maison zzz") == []


def test_names_rank_above_descriptions() -> None:
    ix = SearchIndex.build(CORPUS, NAMES)
    found = ids(ix, text="ecoute")
    assert found[0] == "t:119"  # a national line that answers the need comes first (issue 10.3)
    assert found[1] == "t:bdx"  # then the name match; the others only in descriptions
    assert ids(ix, text="ecoute", include_national=False)[0] == "t:bdx"


def test_territories() -> None:
    ix = SearchIndex.build(CORPUS, NAMES)
    assert ids(ix, territories=("976",)) == ["t:119"]  # nothing there but the national line
    assert ids(ix, territories=("976",), include_national=False) == []
    assert set(ids(ix, territories=("971",))) == {"t:gpe", "t:119"}  # area covers a commune of 971
    in_region = set(ids(ix, regions=("75",), include_national=False))
    assert in_region == {"t:gpe", "t:bdx", "t:nou"}  # located in its départements, or covering it
    assert set(ids(ix, territories=("24",), include_national=False)) == {"t:nou"}  # area: région 75
    assert "t:pro" in search(ix, SearchQuery(territories=("24",)), pro_mode=True).ids
    assert "t:119" not in ids(ix, include_national=False)


def test_filters() -> None:
    ix = SearchIndex.build(CORPUS, NAMES)
    assert ids(ix, types=("ligne-ecoute-nationale", "sante-ado-psy")) == ["t:119", "t:gpe"]
    assert ids(ix, supports=("soutien-psychologique",)) == ["t:reu"]
    assert set(ids(ix, publics=("parents-proches",))) == {"t:gpe", "t:bdx"}
    assert set(ids(ix, modalities=("gratuit", "telephone"))) == {"t:119", "t:reu"}
    assert ids(ix, ids=("t:bdx", "t:nope", "t:pro")) == ["t:bdx"]


def test_open_now_in_local_time_zones() -> None:
    ix = SearchIndex.build(CORPUS, NAMES)
    # Monday 09:00 UTC: Paris 10:00 (open), Réunion 13:00 (open), Nouméa 20:00 (closed).
    # Unknown hours are never silently dropped: they come after the open ones ("gpe" has no hours).
    found = ids(ix, open_now=True)
    assert set(found[:3]) == {"t:119", "t:reu", "t:bdx"} and found[3:] == ["t:gpe"]
    # Sunday 21:30 UTC = Monday 08:30 in Nouméa, 22:30 in Paris, 01:30 Monday in Réunion.
    sunday = datetime(2025, 3, 2, 21, 30, tzinfo=UTC)
    assert search(ix, SearchQuery(open_now=True), now=sunday).ids == ("t:119", "t:nou", "t:gpe")
    local = [s("loc", "Accueil local", departement="33", region="75")]
    merged = search_many([ix, SearchIndex.build(local, NAMES)], SearchQuery(open_now=True, sort="name"),
                         now=sunday)
    assert merged.ids[:2] == ("t:119", "t:nou") and set(merged.ids[2:]) == {"t:loc", "t:gpe"}
    assert {f.value: f.count for f in merged.facets["open_now"]} == {"1": 2}  # the open ones


def test_near_keeps_national_lines() -> None:
    ix = SearchIndex.build(CORPUS, NAMES)
    # Nothing within 5 km of Réunion's Saint-Pierre but the national line, which has no position.
    q = SearchQuery(near=(-21.34, 55.48), radius_km=5, sort="distance")
    assert ids(ix, near=q.near, radius_km=5) == ["t:119"]
    assert ids(ix, near=q.near, radius_km=5, include_national=False) == []
    assert ids(ix, near=q.near, radius_km=60, sort="distance") == ["t:reu", "t:119"]


def test_facets_ignore_their_own_filter() -> None:
    ix = SearchIndex.build(CORPUS, NAMES)
    res = search(ix, SearchQuery(types=("urgence",), territories=("33",)), now=MONDAY_10_PARIS)
    assert set(res.ids) == {"t:bdx", "t:nou"}  # Nouméa's area covers the région of the 33
    types = {f.value: f.count for f in res.facets["type"]}
    assert types == {"urgence": 2, "sante-ado-psy": 1, "ligne-ecoute-nationale": 1}
    terr = {f.value: f.count for f in res.facets["territory"]}
    assert terr["33"] == 2 and terr["974"] == 1 and "976" not in terr  # national lines not counted
    assert {f.value: f.count for f in res.facets["open_now"]} == {"1": 1}


def test_selected_region_without_match_still_gets_its_facet_count() -> None:
    """13.6: a selected région with no match shows « 0 », like a selected département does."""
    ix = SearchIndex.build(CORPUS, NAMES)
    res = search(ix, SearchQuery(text="zzzz", regions=("04",), territories=("33",)), now=MONDAY_10_PARIS)
    assert res.total == 0
    assert {f.value: f.count for f in res.facets["region"]} == {"04": 0}
    assert {f.value: f.count for f in res.facets["territory"]} == {"33": 0}


def test_paging_and_sorts() -> None:
    ix = SearchIndex.build(CORPUS, NAMES)
    everything = ids(ix)
    assert everything == sorted(everything, key=lambda i: _fold(next(c.name for c in CORPUS if c.id == i)))
    page = search(ix, SearchQuery(offset=1, limit=2), now=MONDAY_10_PARIS)
    assert page.total == 5 and list(page.ids) == everything[1:3]
    near = search(ix, SearchQuery(near=(44.84, -0.58), radius_km=50, sort="distance"), now=MONDAY_10_PARIS)
    assert list(near.ids) == ["t:gpe", "t:bdx", "t:119"] and near.distances_km[0] is not None
    assert near.distances_km[2] is None  # the national line, kept, without a distance
    assert near.distances_km[0] < near.distances_km[1] < 50  # type: ignore[operator]
    assert ids(ix, sort="updated")[:3] == ["t:119", "t:reu", "t:gpe"]


def test_pro_mode_hides_and_shows() -> None:
    ix = SearchIndex.build(CORPUS, NAMES)
    assert "t:pro" not in ids(ix, text="foyer")
    assert search(ix, SearchQuery(text="foyer"), pro_mode=True).ids == ("t:pro",)


def test_bytes_round_trip() -> None:
    ix = SearchIndex.build(CORPUS, NAMES)
    again = SearchIndex.from_bytes(ix.to_bytes())
    for q in (SearchQuery(text="ec"), SearchQuery(territories=("971",)), SearchQuery(open_now=True)):
        assert search(ix, q, now=MONDAY_10_PARIS) == search(again, q, now=MONDAY_10_PARIS)
    assert again.id_at(again.row_of("t:bdx") or 0) == "t:bdx"


def test_search_many_merges_ranking_and_facets() -> None:
    big = SearchIndex.build(CORPUS, NAMES)
    local = [s("loc", "Association écoute locale", origin="local", departement="33", region="75")]
    q = SearchQuery(text="ecoute")
    merged = search_many([big, SearchIndex.build(local, NAMES)], q, now=MONDAY_10_PARIS)
    single = search(SearchIndex.build([*CORPUS, *local], NAMES), q, now=MONDAY_10_PARIS)
    assert merged == single


# --- a brute-force model on random small corpora ------------------------------------------------------
WORDS = ("écoute", "ecole", "maison", "réunion", "jeunes", "aide", "accueil")
DEPS = ("974", "976", "971", "33", "24", "75")


def _all_tokens(r: Structure) -> set[str]:
    all_t = set(_tokens(f"{r.name} {r.description}"))
    all_t |= set(_tokens(NAMES.departements.get(r.departement, "")))
    return all_t | set(_tokens(NAMES.regions.get(r.region, ""))) | set(_tokens("Urgence"))


def _near(w: str, t: str) -> bool:
    """Typo tolerance, naively: same first letter, some prefix of `t` within the word's edit budget (OSA)."""
    from rapidfuzz.distance import OSA

    from pare_desktop.core.search.fuzzy import max_edits

    k = max_edits(w)
    lengths = range(max(1, len(w) - k), len(w) + k + 1)
    return t[:1] == w[:1] and any(OSA.distance(w, t[:n]) <= k for n in lengths)


def _matches(r: Structure, q: SearchQuery, pro: bool, corpus: list[Structure] = ()) -> bool:  # type: ignore[assignment]
    if r.visibility == "pro" and not pro:
        return False
    all_t = _all_tokens(r)
    everyone = set().union(*map(_all_tokens, corpus)) if corpus else all_t
    for w in _tokens(q.text):
        from pare_desktop.core.search.fuzzy import max_edits

        typo = max_edits(w) and not any(t.startswith(w) for t in everyone)  # no synonyms in these WORDS
        if not any(_near(w, t) if typo else t.startswith(w) for t in all_t):
            return False
    if q.territories:
        deps = {r.departement, *r.area.departements}
        regs = {r.region, *r.area.regions} | {NAMES.region_of.get(d, "") for d in deps}
        deps |= {d for d, g in NAMES.region_of.items() if g in r.area.regions}
        hit = any(t in deps if not t.startswith("region:") else t[7:] in regs for t in q.territories)
        if not (hit or (r.area.national and q.include_national)):
            return False
    elif not q.include_national and r.area.national:
        return False
    return not q.modalities or set(q.modalities) <= set(r.modalities)


@st.composite
def corpora(draw: st.DrawFn) -> list[Structure]:
    n = draw(st.integers(0, 12))
    out = []
    for i in range(n):
        dep = draw(st.sampled_from(DEPS))
        out.append(
            s(
                str(i),
                " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))),
                description=" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=3))),
                departement=dep,
                region=NAMES.region_of.get(dep, ""),
                area=Area(
                    national=draw(st.booleans()),
                    regions=tuple(draw(st.lists(st.sampled_from(("75", "04")), max_size=1))),
                ),
                modalities=tuple(draw(st.sets(st.sampled_from(("gratuit", "telephone"))))),
                visibility=draw(st.sampled_from(("public", "pro"))),
            )
        )
    return out


queries = st.builds(
    SearchQuery,
    text=st.sampled_from(("", "e", "ec", "ecou", "ma", "reun jeu", "a", "z")),
    territories=st.lists(st.sampled_from((*DEPS, "region:75", "region:04")), max_size=2).map(tuple),
    modalities=st.lists(st.sampled_from(("gratuit", "telephone")), max_size=2).map(tuple),
    include_national=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(corpora(), queries, st.booleans())
def test_index_agrees_with_brute_force(corpus: list[Structure], q: SearchQuery, pro: bool) -> None:
    ix = SearchIndex.build(corpus, NAMES)
    got = search(ix, q, pro_mode=pro, now=MONDAY_10_PARIS)
    expected = {r.id for r in corpus if _matches(r, q, pro, corpus)}
    assert set(got.ids) == expected and got.total == len(expected)
    # facet counts (counted over the matches or over the others, whichever is smaller) agree too
    types = Counter(r.type for r in corpus if r.id in expected)
    assert {f.value: f.count for f in got.facets["type"]} == dict(types)
    unfiltered = [r for r in corpus if _matches(r, replace(q, modalities=()), pro, corpus)]
    modalities = Counter(m for r in unfiltered for m in set(r.modalities))
    assert {f.value: f.count for f in got.facets["modality"] if f.count} == dict(modalities)
    half = len(corpus) // 2
    parts = [SearchIndex.build(corpus[:half], NAMES), SearchIndex.build(corpus[half:], NAMES)]
    merged = search_many(parts, replace(q, sort="relevance"), pro_mode=pro, now=MONDAY_10_PARIS)
    assert merged.ids == got.ids and merged.facets == got.facets


def test_text_postings_do_not_depend_on_chunking() -> None:
    from pare_desktop.core.search.build import text_postings

    texts = ["Œuvre fi\u0301nale", "", "Écoute ÉCOUTE écoute", "straße ﬁn", "a b c", "Réunion", "é"] * 5
    whole = text_postings(texts, len(texts))
    for chunk in (1, 2, 3, 7, 64):
        terms, ptr, rows = text_postings(iter(texts), len(texts), chunk=chunk)
        assert terms == whole[0]
        assert ptr.tolist() == whole[1].tolist() and rows.tolist() == whole[2].tolist()
    assert "ecoute" in whole[0] and "oeuvre" in whole[0] and "strasse" in whole[0]


def test_one_folding_for_search_and_the_rest_of_the_app() -> None:
    """core.text is the one folding rule (13.5): the index's bulk folding is the same function."""
    from pare_desktop.core.text import fold, fold_letters, tokens

    assert _fold_many_is(["Maison des adolescents de La Réunion", "ŒUVRE d'accueil — Saint-Barthélemy"])
    assert fold("L'Haÿ-les-Roses") == "l hay les roses"
    assert fold_letters("Straße Æsop naïve cœur") == "strasse aesop naive coeur"
    assert tokens("CeGIDD : dépistage, 24 h/24") == ["cegidd", "depistage", "24", "h", "24"]


def _fold_many_is(texts: list[str]) -> bool:
    from pare_desktop.core.search.build import _fold_many
    from pare_desktop.core.text import fold_letters

    return _fold_many(texts) == [fold_letters(t) for t in texts]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.integers(-3, 3).map(float), st.just(float("nan"))), max_size=60),
    st.integers(0, 70),
)
def test_a_page_is_ordered_like_the_whole_sort(values: list[float], first: int) -> None:
    """Sorting only the first rows of a page (argpartition) gives the same rows as a full stable sort."""
    import numpy as np

    from pare_desktop.core.search.index import _stable_order

    keys = np.array(values, dtype=np.float64)
    whole = np.argsort(keys, kind="stable")[:first]
    assert _stable_order(keys, first)[:first].tolist() == whole.tolist()
    ints = np.nan_to_num(keys, nan=9).astype(np.int16)
    assert _stable_order(ints, first)[:first].tolist() == np.argsort(ints, kind="stable")[:first].tolist()


def test_index_built_chunk_by_chunk_in_any_order_is_the_same() -> None:
    """IndexBuilder (imports feed it as they write) gives the arrays of the one-go build, whatever the
    chunks and the order the records come in: rows are sorted by name at the end."""
    import random

    import numpy as np

    from pare_desktop.core.demo import load_demo, load_reference
    from pare_desktop.core.search.build import IndexBuilder, build_arrays

    records = [*CORPUS, *load_reference(), *load_demo(date(2026, 1, 5))]
    whole = build_arrays(records, NAMES)
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    for size in (1, 5, 64):
        builder = IndexBuilder(NAMES)
        builder.add([])
        for start in range(0, len(shuffled), size):
            builder.add(shuffled[start : start + size])
        got = builder.arrays()
        assert got.keys() == whole.keys()
        for key, values in whole.items():
            assert got[key].dtype == values.dtype, key
            assert np.array_equal(got[key], values, equal_nan=values.dtype.kind == "f"), key
    assert len(SearchIndex(IndexBuilder(NAMES).arrays())) == 0
