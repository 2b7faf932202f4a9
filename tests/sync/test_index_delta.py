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


def test_sync_stays_successful_when_the_index_cannot_be_stored(
    directory: Directory, publisher: Publisher, make_settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """12.2: the data fits, the index does not: the sync succeeds, search works, the flag is raised."""
    from pare_desktop.core.errors import IndexNotStoredError

    v = records(300)
    publisher.publish(v)
    with Scripted(lambda r: serve_file(r, publisher.feed)) as srv:
        assert SyncClient(directory, make_settings(srv.url)).run().status == "updated"
        v = mutate(v, random.Random(4), 2, 20, 3, 3)
        publisher.publish(v)

        # The rows fit (the pages their old versions freed), the index does not: the disk says no room.
        monkeypatch.setattr(indexes, "_room_for", lambda conn, nbytes: False)
        out = SyncClient(directory, make_settings(srv.url)).run()
        assert out.status == "updated", out.message
        assert isinstance(directory.storage_problem, IndexNotStoredError)
        assert "espace disque insuffisant" in directory.storage_problem.message
        changed = [s.id for s in v if s.description.startswith("changé v2") and s.visibility == "public"]
        assert set(changed) <= set(directory.search(SearchQuery(text="change v2")).ids)
        monkeypatch.undo()
        directory.reload_index()  # room again: stored later
        assert directory.storage_problem is None
