"""User data survives every sync; records removed upstream with user data stay, withdrawn; reports."""

from __future__ import annotations

import csv
import http.server
import json
from pathlib import Path

from pare_desktop.core.directory import Directory
from pare_desktop.sync.client import SyncClient
from pare_desktop.sync.reports import export_reports

from .conftest import Publisher
from .feedkit import local_publisher, published, record, records
from .servers import Scripted, serve_file


def test_removed_upstream_with_user_data_is_kept_withdrawn(
    directory: Directory, publisher: Publisher, make_settings
) -> None:  # type: ignore[no-untyped-def]
    recs = records(30)
    publisher.publish(recs)
    demo_id = next(s.id for s in directory.all_structures() if s.is_demo)
    directory.user.set_note(demo_id, "ancienne fiche de démo annotée")
    with Scripted(lambda r: serve_file(r, publisher.feed)) as srv:
        assert SyncClient(directory, make_settings(srv.url)).run().status == "updated"
        gone, noted, listed = recs[0].id, recs[1].id, recs[2].id
        directory.user.set_favourite(gone, True)
        directory.user.set_note(noted, "appeler <b>Mme X</b> le mardi")
        lst = directory.user.create_list("Mayotte")
        directory.user.add_to_list(lst, [listed])
        local = directory.user.save_local(record(999))
        publisher.publish(recs[3:])
        out = SyncClient(directory, make_settings(srv.url)).run()
        assert out.status == "updated" and out.path == "delta"
    kept = {s.id: s for s in directory.get_many([gone, noted, listed, demo_id])}
    assert all(kept[x].withdrawn for x in (gone, noted, listed, demo_id))
    assert directory.user.note(noted) == "appeler <b>Mme X</b> le mardi"
    assert directory.user.is_favourite(gone) and directory.user.list_ids(lst) == [listed]
    assert [s.id for s in directory.user.local_structures()] == [local.id]
    assert local_publisher(directory.engine) == published(recs[3:])
    assert not any(s.is_demo and not s.withdrawn for s in directory.all_structures())
    assert any(s.origin == "reference" for s in directory.all_structures())  # the app's own lines stay


def test_reports_sent_after_pull_or_kept_and_exported(
    directory: Directory, publisher: Publisher, make_settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    publisher.publish(records(5))
    directory.user.queue_report("paris:000001", '=HYPERLINK("x")', "numéro faux\n+262 269 61 00 00")
    received: list[bytes] = []

    def handle(req: http.server.BaseHTTPRequestHandler) -> None:
        if req.command == "POST":
            received.append(req.rfile.read(int(req.headers["Content-Length"])))
            req.send_response(204)
            req.end_headers()
        else:
            serve_file(req, publisher.feed)

    with Scripted(handle) as srv:
        assert SyncClient(directory, make_settings(srv.url)).run().reports_sent == 0  # no address: kept
        assert len(directory.user.reports()) == 1
        n = export_reports(directory, tmp_path / "r.csv")
        with (tmp_path / "r.csv").open(encoding="utf-8-sig") as f:
            rows = list(csv.reader(f, delimiter=";"))
        assert n == 1 and rows[1][2] == '\'=HYPERLINK("x")'
        export_reports(directory, tmp_path / "r.json")
        assert json.loads((tmp_path / "r.json").read_text())["reports"][0]["structure_id"] == "paris:000001"
        out = SyncClient(directory, make_settings(srv.url, report_url=srv.url + "/reports")).run()
    assert out.status == "up_to_date" and out.reports_sent == 1
    assert json.loads(received[0])["reports"][0]["message"].startswith("numéro faux")
    assert directory.user.reports() == []


def test_a_sync_after_an_import_makes_the_import_final(
    directory: Directory, publisher: Publisher, make_settings
) -> None:  # type: ignore[no-untyped-def]
    """Import and sync go through the same door: the sync replaces the imported records too, and the
    import can no longer be undone (its inverse would bring back data the feed replaced)."""
    import pytest

    from pare_desktop.core.changes import NothingToUndoError
    from tests.core.helpers import Batch
    from tests.core.helpers import record as local_record

    directory.import_batch(
        Batch("fichier", (local_record("fichier", "1", "Structure importée"),)), mode="add"
    )
    assert directory.last_import() is not None
    recs = records(10)
    publisher.publish(recs)
    with Scripted(lambda r: serve_file(r, publisher.feed)) as srv:
        out = SyncClient(directory, make_settings(srv.url)).run()
    assert out.status == "updated" and out.applied is not None and out.applied.absent == 1
    assert directory.get("fichier:1") is None and local_publisher(directory.engine) == published(recs)
    assert directory.last_import() is None
    with pytest.raises(NothingToUndoError):
        directory.undo_last_import()
