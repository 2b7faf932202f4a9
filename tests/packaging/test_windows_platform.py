"""What Windows changes, checked on Linux: no system time-zone database, %LOCALAPPDATA%, SQLite URIs with a
drive letter, the credential store, files held open by another program. The frozen pare.exe itself is run
under wine by `make windows-check` (scripts/windows/check.py)."""

from __future__ import annotations

import os
import sys
import tomllib
import types
import zoneinfo
from datetime import UTC, datetime
from pathlib import Path, PureWindowsPath

import pytest

from packaging.requirements import Requirement
from pare_desktop import paths
from pare_desktop.core import hours
from pare_desktop.core.dbfile import read_records, readonly_uri
from pare_desktop.core.directory import Directory
from pare_desktop.core.export import ExportError, export
from pare_desktop.sync.settings import KEYRING_SERVICE, TOKEN_FILE, TokenStore

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"}
LINUX = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"}


def _dependencies() -> dict[str, Requirement]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return {Requirement(d).name.lower(): Requirement(d) for d in deps}


def test_tzdata_everywhere_and_keyring_on_windows() -> None:
    deps = _dependencies()
    assert deps["tzdata"].marker is None  # Windows has no system zoneinfo: tzdata is the database there
    keyring = deps["keyring"]
    assert keyring.marker is not None
    assert keyring.marker.evaluate(WINDOWS) and not keyring.marker.evaluate(LINUX)


@pytest.fixture
def no_system_zoneinfo():
    """zoneinfo as on Windows: an empty TZPATH, so only the tzdata package can answer."""
    zoneinfo.reset_tzpath(to=[])
    zoneinfo.ZoneInfo.clear_cache()
    hours._zone.cache_clear()
    yield
    zoneinfo.reset_tzpath()
    zoneinfo.ZoneInfo.clear_cache()
    hours._zone.cache_clear()


@pytest.mark.usefixtures("no_system_zoneinfo")
@pytest.mark.parametrize(("zone", "offset_h"), [
    ("Europe/Paris", 1), ("America/Cayenne", -3), ("Indian/Reunion", 4), ("Indian/Mayotte", 3),
    ("Pacific/Noumea", 11), ("America/Martinique", -4),
])
def test_time_zones_come_from_tzdata(zone: str, offset_h: int) -> None:
    assert zoneinfo.TZPATH == ()
    when = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert hours.local_time(zone, when) == datetime(2026, 12, 1, 12 + offset_h, 0)


@pytest.mark.usefixtures("no_system_zoneinfo")
def test_opening_hours_in_an_overseas_zone_without_system_zoneinfo() -> None:
    # Tuesday 1 Dec 2026, 05:30 UTC = 09:30 in La Réunion: open; in Paris it is 06:30: closed.
    when = datetime(2026, 12, 1, 5, 30, tzinfo=UTC)
    assert hours.is_open("Mo-Fr 09:00-17:00", "Indian/Reunion", when) is True
    assert hours.is_open("Mo-Fr 09:00-17:00", "Europe/Paris", when) is False


def test_windows_data_dir_is_local_appdata_not_roaming(monkeypatch: pytest.MonkeyPatch) -> None:
    # platformdirs' own Windows rules, with the folders read from the environment (no Windows API here).
    from platformdirs import windows

    monkeypatch.setattr(windows, "get_win_folder", windows.get_win_folder_from_env_vars)
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\zoé\AppData\Local")
    monkeypatch.setenv("APPDATA", r"C:\Users\zoé\AppData\Roaming")
    found = paths.default_data_dir(windows.Windows)
    assert str(found).startswith(r"C:\Users\zoé\AppData\Local")
    assert found.parts[-2:] == (paths.APP_AUTHOR, paths.APP_NAME)


def test_readonly_uri_of_a_windows_path() -> None:
    uri = readonly_uri(PureWindowsPath(r"C:\Users\Zoé\Mes documents\annuaire #2 (100%).sqlite"))
    assert uri == "file:///C:/Users/Zo%C3%A9/Mes%20documents/annuaire%20%232%20%28100%25%29.sqlite?mode=ro"


def test_read_records_from_a_path_with_uri_characters(tmp_path: Path) -> None:
    folder = tmp_path / "dossier #1 ? Zoé 100%41"  # %41 is a URL escape for « A »
    folder.mkdir()
    path = folder / "annuaire.sqlite"
    d = Directory.open(path)
    try:
        expected = sorted(s.id for s in d.all_structures())
    finally:
        d.close()
    before = path.stat().st_mtime_ns
    assert expected and sorted(s.id for s in read_records(path)) == expected
    assert path.stat().st_mtime_ns == before  # read-only: the file untouched


class FakeCredentialStore(types.ModuleType):
    """The keyring API (get/set/delete_password) over a dict, as Windows Credential Manager would answer."""

    def __init__(self, broken: bool = False) -> None:
        super().__init__("keyring")
        self.saved: dict[tuple[str, str], str] = {}
        self.broken = broken

    def get_password(self, service: str, user: str) -> str | None:
        if self.broken:
            raise RuntimeError("no backend")
        return self.saved.get((service, user))

    def set_password(self, service: str, user: str, value: str) -> None:
        if self.broken:
            raise RuntimeError("no backend")
        self.saved[(service, user)] = value

    def delete_password(self, service: str, user: str) -> None:
        self.saved.pop((service, user), None)


def test_token_goes_to_the_credential_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = FakeCredentialStore()
    monkeypatch.setitem(sys.modules, "keyring", store)
    (tmp_path / TOKEN_FILE).write_text("ancien", encoding="utf-8")
    tokens = TokenStore(tmp_path)
    tokens.set("jeton-é")
    assert store.saved == {(KEYRING_SERVICE, "token"): "jeton-é"}
    assert not (tmp_path / TOKEN_FILE).exists()  # an older plain-file token is removed
    assert tokens.get() == "jeton-é"
    tokens.clear()
    assert store.saved == {} and tokens.get() is None


def test_token_falls_back_to_a_private_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", FakeCredentialStore(broken=True))
    tokens = TokenStore(tmp_path)
    tokens.set("jeton")
    assert (tmp_path / TOKEN_FILE).read_text(encoding="utf-8") == "jeton"
    if os.name == "posix":
        assert (tmp_path / TOKEN_FILE).stat().st_mode & 0o077 == 0
    assert tokens.get() == "jeton"


def test_export_onto_a_file_open_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Windows refuses to replace a file Excel has open (sharing violation, PermissionError): a French message
    # that says what to do, the previous file kept, no temporary file left behind.
    d = Directory.open(tmp_path / "annuaire.sqlite")
    try:
        records = d.all_structures()[:3]
    finally:
        d.close()
    target = tmp_path / "structures.csv"
    target.write_text("ancien", encoding="utf-8")

    def sharing_violation(src: object, dst: object) -> None:
        raise PermissionError(13, "Le processus ne peut pas accéder au fichier car il est utilisé par un "
                                  "autre processus", str(dst))

    monkeypatch.setattr(os, "replace", sharing_violation)
    with pytest.raises(ExportError) as err:
        export(records, "csv", target)
    assert "ouvert dans un autre programme" in str(err.value)
    assert target.read_text(encoding="utf-8") == "ancien"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".pare-export-")] == []


def test_console_attach_is_windows_only() -> None:
    # On Windows it attaches the windowed pare.exe to cmd.exe's console (manual checklist, docs/packaging.md);
    # here, and whenever the streams exist, it must leave everything alone.
    from pare_desktop.winconsole import attach_parent_console

    out, err = sys.stdout, sys.stderr
    assert attach_parent_console() is False
    assert (sys.stdout, sys.stderr) == (out, err)

