"""pare-publish: keys, successive versions, tiers, deltas, verification of a feed end to end."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pare_desktop.core.records import canonical_json
from pare_desktop.sync import keys
from pare_desktop.sync.errors import IntegrityError, PublishError, SignatureError
from pare_desktop.sync.feed import MANIFEST_NAME, open_envelope
from pare_desktop.sync.feedcheck import verify_feed
from pare_desktop.sync.publish_cli import main

from .conftest import Publisher
from .feedkit import records, write_source


def test_keygen_private_key_is_owner_only(tmp_path: Path) -> None:
    assert main(["keygen", "--out", str(tmp_path / "k")]) == 0
    mode = stat.S_IMODE((tmp_path / "k" / keys.PRIVATE_NAME).stat().st_mode)
    assert mode == 0o600
    assert main(["keygen", "--out", str(tmp_path / "k")]) == 1  # never overwrites a key


def test_versions_increase_and_tiers(publisher: Publisher, keypair: tuple[Path, Path]) -> None:
    recs = records(40)
    first = publisher.publish(recs).manifest
    second = publisher.publish(recs[:30]).manifest
    assert (first.version, second.version) == (1, 2)
    assert [(d.from_version, d.to_version) for d in second.deltas] == [(1, 2)]
    assert second.dataset_hash == second.deltas[-1].dataset_hash
    public = [s for s in recs[:30] if s.visibility == "public"]
    assert second.record_count == len(public) < 30
    _, report = verify_feed(publisher.feed, [keys.load_public(keypair[1])])
    assert "delta 1→2" in "\n".join(report)


def test_public_tier_drops_pro_fields(publisher: Publisher) -> None:
    recs = records(40)
    publisher.publish(recs)
    snapshot = next((publisher.feed / "files").glob("*.jsonl.gz")).read_bytes()
    import gzip

    lines = gzip.decompress(snapshot).decode().splitlines()[1:]
    docs = [json.loads(x) for x in lines]
    assert all(d["visibility"] == "public" for d in docs)
    assert not any(p["confidential"] for d in docs for p in d["phones"])
    hidden = [d for d in docs if d["address_visibility"] == "pro"]
    assert hidden and all(d["address"] == "" for d in hidden)


def test_pro_tier_keeps_everything(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    pub = Publisher(tmp_path, keypair[0], tier="pro")
    recs = records(40)
    m = pub.publish(recs).manifest
    assert m.tier == "pro" and m.record_count == 40


def test_cannot_extend_a_feed_signed_by_another_key(
    publisher: Publisher, other_keypair: tuple[Path, Path]
) -> None:
    publisher.publish(records(5))
    publisher.key = other_keypair[0]
    with pytest.raises(PublishError, match="ne peut pas être prolongé"):
        publisher.publish(records(5))


def test_verify_detects_tampering(
    publisher: Publisher, keypair: tuple[Path, Path], other_keypair: tuple[Path, Path], tmp_path: Path
) -> None:
    publisher.publish(records(10))
    pub = keys.load_public(keypair[1])
    snap = next((publisher.feed / "files").glob("*.jsonl.gz"))
    data = bytearray(snap.read_bytes())
    data[-5] ^= 0xFF
    snap.write_bytes(bytes(data))
    with pytest.raises(IntegrityError):
        verify_feed(publisher.feed, [pub])
    with pytest.raises(SignatureError):
        verify_feed(publisher.feed, [keys.load_public(other_keypair[1])])
    assert main(["verify", str(publisher.feed), "--key", str(keypair[1])]) == 1


def test_cli_build_and_verify(
    tmp_path: Path, keypair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    src = write_source(tmp_path / "national.pare.jsonl", records(12))
    feed = tmp_path / "feed"
    assert main(["build", str(src), "--key", str(keypair[0]), "--out", str(feed), "--expires", "10"]) == 0
    assert main(["build", str(src), "--key", str(keypair[0]), "--out", str(feed)]) == 0
    assert main(["verify", str(feed), "--key", str(keypair[1])]) == 0
    out = capsys.readouterr().out
    assert "version 2" in out and "flux vérifié" in out
    signed, _ = open_envelope((feed / MANIFEST_NAME).read_bytes())
    assert json.loads(signed)["version"] == 2


def test_directory_database_as_source(tmp_path: Path, keypair: tuple[Path, Path]) -> None:
    from pare_desktop.core.directory import Directory
    from pare_desktop.sync.publish import build

    recs = records(8)
    with Directory.open(tmp_path / "src.sqlite") as d:
        from pare_desktop.core.changes import ChangeSet

        d.apply_changes(ChangeSet(tuple(recs), source="paris"))
    m = build([tmp_path / "src.sqlite"], keypair[0], tmp_path / "feed", tier="pro").manifest
    assert m.record_count == 8  # demo and reference records are not published
    from pare_desktop.core.records import dataset_hash

    from .feedkit import published

    assert {canonical_json(s) for s in recs} == published(recs, "pro")
    assert m.dataset_hash == dataset_hash(recs)
