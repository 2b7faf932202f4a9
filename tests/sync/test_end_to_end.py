"""pare-publish builds, nginx serves as a CDN would, `pare sync` pulls: snapshot, delta, chain of deltas."""

from __future__ import annotations

import random
import stat
from pathlib import Path

import pytest

from pare_desktop.__main__ import main as pare
from pare_desktop.core.directory import Directory
from pare_desktop.sync import history

from .conftest import Publisher
from .feedkit import local_publisher, mutate, published, records
from .servers import nginx


def test_snapshot_then_delta_then_chain(
    tmp_path: Path, publisher: Publisher, keypair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(5)
    data = tmp_path / "data"
    versions = [records(120)]
    publisher.publish(versions[-1])
    with nginx(publisher.feed, tmp_path / "nginx") as url:
        assert pare(["--data-dir", str(data), "sync", "--feed", url, "--key", str(keypair[1])]) == 0
        assert "version 1" in capsys.readouterr().out
        with Directory.open(data / "pare.sqlite") as d:
            assert local_publisher(d.engine) == published(versions[-1])
            assert not d.dataset_info().is_demo
        versions.append(mutate(versions[-1], rng, 2, 10, 5, 5))
        publisher.publish(versions[-1])
        assert pare(["--data-dir", str(data), "sync"]) == 0  # the feed and key were remembered
        for v in (3, 4, 5):
            versions.append(mutate(versions[-1], rng, v, 10, 5, 5))
            publisher.publish(versions[-1])
        assert pare(["--data-dir", str(data), "sync"]) == 0
        assert pare(["--data-dir", str(data), "sync"]) == 0
        out = capsys.readouterr().out
        assert "version 2" in out and "version 5" in out and "à jour" in out
    with Directory.open(data / "pare.sqlite") as d:
        assert local_publisher(d.engine) == published(versions[-1])
        assert d.dataset_info().version == 5
        h = history.entries(d)
        assert [e.outcome for e in h] == ["up_to_date", "updated", "updated", "updated"]
        assert d.meta("sync.feed_url") == url


def test_pro_tier_behind_http_auth(
    tmp_path: Path, keypair: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "www"
    pro = Publisher(tmp_path / "pro", keypair[0], tier="pro")
    pro.feed = root / "pro"
    recs = records(40)
    pro.publish(recs)
    data = tmp_path / "data"
    with nginx(root, tmp_path / "nginx", token="s3cret-token") as url:
        args = ["--data-dir", str(data), "sync", "--feed", f"{url}/pro", "--key", str(keypair[1])]
        assert pare(args) == 2  # no token: 401, said on stderr with exit 2 like every error
        assert pare([*args, "--token", "s3cret-token"]) == 0
        assert pare(["--data-dir", str(data), "sync"]) == 0  # token remembered
    token_file = data / "sync-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert "s3cret-token" not in (data / "logs" / "pare.log").read_text()
    assert "s3cret-token" not in caplog.text
    with Directory.open(data / "pare.sqlite") as d:
        assert local_publisher(d.engine) == published(recs, "pro")
        assert d.meta("tier") == "pro"
