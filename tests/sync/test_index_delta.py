"""A delta sync updates the search index with the data (delta segment), without a full rebuild."""

from __future__ import annotations

import random

import pytest

from pare_desktop.core.directory import Directory
from pare_desktop.core.records import SearchQuery
from pare_desktop.core.search import indexes
from pare_desktop.sync.client import SyncClient

from .conftest import Publisher
from .feedkit import mutate, records
from .servers import Scripted, serve_file

QUERIES = [SearchQuery(), SearchQuery(text="change"), SearchQuery(text="structure", sort="name"),
           SearchQuery(include_national=True, territories=("33",))]


def _answers(d: Directory) -> list[object]:
    return [(r.ids, r.total, r.facets) for r in map(d.search, QUERIES)]


def test_delta_sync_updates_the_index_in_step(
    directory: Directory, publisher: Publisher, make_settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    v = records(400)
    publisher.publish(v)
    with Scripted(lambda r: serve_file(r, publisher.feed)) as srv:
        assert SyncClient(directory, make_settings(srv.url)).run().status == "updated"
        real = indexes.rebuild_publisher
        calls: list[int] = []

        def counted(*a, **k):  # type: ignore[no-untyped-def]
            calls.append(1)
            return real(*a, **k)

        monkeypatch.setattr(indexes, "rebuild_publisher", counted)
        for version in (2, 3):
            v = mutate(v, rng, version, 8, 4, 4)
            publisher.publish(v)
            out = SyncClient(directory, make_settings(srv.url)).run()
            assert out.status == "updated" and out.path == "delta", out.message
        assert calls == []
        changed = [s.id for s in v if s.description.startswith("changé v3") and s.visibility == "public"]
        assert set(changed) <= set(directory.search(SearchQuery(text="change v3")).ids)
        seen = _answers(directory)
        with Directory.open(directory.path) as again:  # persisted with the data
            assert _answers(again) == seen
        assert calls == []
        directory.refresh()
        assert _answers(directory) == seen
