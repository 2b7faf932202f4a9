"""Hypothesis: publisher changes, user edits, interrupted and completed syncs, in any order.

After every step the local publisher data equals exactly one published version (or none yet), and the
user's favourites, notes, lists and local structures are exactly what the user left.
"""

from __future__ import annotations

import http.server
import random
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from pare_desktop.core import db, writes
from pare_desktop.core.directory import Directory
from pare_desktop.core.progress import Cancelled
from pare_desktop.core.records import Structure
from pare_desktop.sync import keys
from pare_desktop.sync.client import SyncClient
from pare_desktop.sync.publish import build
from pare_desktop.sync.settings import SyncSettings

from .conftest import FAST
from .feedkit import local_publisher, mutate, published, record, records, write_source
from .servers import Scripted, serve_file

FAULTS = ("cut", "503", "cancel-apply", "crash-apply")


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="sync-sm-"))
        self.priv, self.pub = keys.generate(self.tmp / "keys")
        self.feed = self.tmp / "feed"
        self.rng = random.Random(0)
        self.data: list[Structure] = records(25)
        self.versions: list[set[bytes]] = [set()]
        self.builds = 0
        self.fault: str | None = None
        self.server = Scripted(self._handle).__enter__()
        self.dir = Directory.open(self.tmp / "data" / "pare.sqlite")
        self.favs: set[str] = set()
        self.notes: dict[str, str] = {}
        self.list_id = self.dir.user.create_list("Ma liste")
        self.listed: list[str] = []
        self.locals: set[str] = set()
        self.kept: set[str] = set()

    def _handle(self, req: http.server.BaseHTTPRequestHandler) -> None:
        if self.fault == "503" and req.path.startswith("/manifest"):
            req.send_response(503)
            req.send_header("Content-Length", "0")
            req.end_headers()
        elif self.fault == "cut" and req.path.startswith("/files/"):
            serve_file(req, self.feed, cut_at=150)
        else:
            serve_file(req, self.feed)

    def teardown(self) -> None:
        self.server.__exit__()
        self.dir.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _settings(self) -> SyncSettings:
        return SyncSettings(
            feed_url=self.server.url,
            cache_dir=self.tmp / "data" / "sync-cache",
            key_paths=(self.pub,),
            http=replace(FAST, attempts=1),
        )

    def _ids(self) -> list[str]:
        return sorted({s.id for s in self.data} | {s.id for s in records(5)} | self.locals)

    # --- the publisher ------------------------------------------------------------------------------
    @rule(change=st.integers(0, 6), add=st.integers(0, 4), remove=st.integers(0, 4))
    def publish(self, change: int, add: int, remove: int) -> None:
        self.builds += 1
        self.data = mutate(self.data, self.rng, self.builds, change, add, remove)
        src = write_source(self.tmp / f"src{self.builds}.pare.jsonl", self.data)
        build([src], self.priv, self.feed)
        self.versions.append(published(self.data))

    # --- the user -----------------------------------------------------------------------------------
    @rule(k=st.integers(0, 200), on=st.booleans())
    def favourite(self, k: int, on: bool) -> None:
        sid = self._ids()[k % len(self._ids())]
        self.dir.user.set_favourite(sid, on)
        (self.favs.add if on else self.favs.discard)(sid)

    @rule(
        k=st.integers(0, 200), text=st.sampled_from(["", "rappeler", "<script>alert(1)</script>", "é\n'\""])
    )
    def note(self, k: int, text: str) -> None:
        sid = self._ids()[k % len(self._ids())]
        self.dir.user.set_note(sid, text)
        if text.strip():
            self.notes[sid] = text
        else:
            self.notes.pop(sid, None)

    @rule(k=st.integers(0, 200))
    def add_to_list(self, k: int) -> None:
        sid = self._ids()[k % len(self._ids())]
        if self.dir.user.add_to_list(self.list_id, [sid]):
            self.listed.append(sid)

    @rule(i=st.integers(0, 10_000))
    def local_structure(self, i: int) -> None:
        s = self.dir.user.save_local(replace(record(900_000 + i), id="", origin="local"))
        self.locals.add(s.id)

    # --- syncs ----------------------------------------------------------------------------------------
    @precondition(lambda self: self.builds > 0)
    @rule(fault=st.sampled_from(FAULTS))
    def interrupted_sync(self, fault: str) -> None:
        self.fault = fault if fault in ("cut", "503") else None
        real = writes._checkpoint

        def boom(stage: str, conn: object) -> None:
            if stage == "data":
                raise Cancelled() if fault == "cancel-apply" else OSError("panne simulée")

        if fault in ("cancel-apply", "crash-apply"):
            writes._checkpoint = boom  # type: ignore[assignment]
        try:
            SyncClient(self.dir, self._settings()).run()
        except OSError:
            assert fault == "crash-apply"
        finally:
            writes._checkpoint = real  # type: ignore[assignment]
            self.fault = None

    @precondition(lambda self: self.builds > 0)
    @rule()
    def completed_sync(self) -> None:
        out = SyncClient(self.dir, self._settings()).run()
        assert out.ok, out.message
        assert local_publisher(self.dir.engine) == self.versions[-1]

    # --- invariants -----------------------------------------------------------------------------------
    @invariant()
    def publisher_data_is_one_published_version(self) -> None:
        assert local_publisher(self.dir.engine) in self.versions

    @invariant()
    def no_user_data_lost(self) -> None:
        u = self.dir.user
        assert u.favourite_ids() == self.favs
        assert u.notes() == self.notes
        assert u.list_ids(self.list_id) == self.listed
        assert {s.id for s in u.local_structures()} == self.locals
        # a record the user has data on never disappears from the directory (withdrawn at most)
        present = {s.id for s in self.dir.all_structures()}
        with_data = self.favs | set(self.notes) | set(self.listed)
        assert self.kept & with_data <= present
        self.kept = with_data & present

    @invariant()
    def integrity(self) -> None:
        assert db.integrity_ok(self.dir.path)


SyncMachine.TestCase.settings = settings(
    max_examples=8,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestSync = SyncMachine.TestCase
