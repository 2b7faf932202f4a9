"""`pare sync` on stderr with exit 2, global options after the subcommand, `pare-publish` in French."""

from __future__ import annotations

import argparse
import socket
import time
from pathlib import Path

import pytest

from pare_desktop.cli import build_parser, run
from pare_desktop.sync.publish_cli import main as publish


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sync_offline_says_so_on_stderr_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t0 = time.monotonic()
    code = run(["sync", "--data-dir", str(tmp_path), "--feed", f"http://127.0.0.1:{_closed_port()}/"])
    assert time.monotonic() - t0 < 10  # opening the demo directory included
    out = capsys.readouterr()
    assert code == 2 and out.out == ""
    assert "pare : hors ligne : le serveur de mises à jour est injoignable (connexion refusée)" in out.err
    assert "Errno" not in out.err and "Error" not in out.err


def test_sync_without_feed_points_to_the_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--data-dir", str(tmp_path), "sync"]) == 2
    err = capsys.readouterr().err
    assert "Paramètres de synchronisation" in err and "pare sync --feed ADRESSE" in err


def test_sync_deadline_is_remembered_and_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sync", "--data-dir", str(tmp_path), "--delai", "0"]) == 2
    assert "--delai" in capsys.readouterr().err
    from pare_desktop.core.directory import Directory
    from pare_desktop.sync.settings import load_settings

    run(["sync", "--data-dir", str(tmp_path), "--delai", "45"])
    with Directory.open(tmp_path / "pare.sqlite") as d:
        assert load_settings(d, tmp_path).http.deadline == 45


def test_every_subcommand_takes_the_global_options_after_it() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, subparser in sub.choices.items():
        for option in ("--data-dir", "--pro", "--verbose"):
            assert option in subparser._option_string_actions, (name, option)
    args = parser.parse_args(["search", "ecoute", "--data-dir", "X", "--pro"])
    assert (args.data_dir, args.pro, args.text) == ("X", True, "ecoute")
    args = parser.parse_args(["--data-dir", "Y", "search", "ecoute"])
    assert (args.data_dir, args.pro) == ("Y", False)  # given before: not overwritten by the subcommand


def test_search_with_data_dir_after_the_subcommand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["search", "ecoute", "--data-dir", str(tmp_path)]) == 0
    assert "Écoute" in capsys.readouterr().out
    assert (tmp_path / "pare.sqlite").exists()


def test_pare_publish_speaks_french(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as help_exit:
        publish(["--help"])
    assert help_exit.value.code == 0
    text = capsys.readouterr().out
    assert "utilisation : pare-publish" in text and "affiche cette aide et quitte" in text
    assert "usage" not in text and "show this help" not in text
    with pytest.raises(SystemExit) as bad:
        publish(["build", "source.csv"])
    assert bad.value.code == 2
    err = capsys.readouterr().err
    assert "pare-publish : erreur : arguments obligatoires manquants : --key, --out" in err
