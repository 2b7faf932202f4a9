"""The checks of `pare --self-test`: database, search, map, exports, sync, window. Each one stands alone."""

from __future__ import annotations

import json
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

from .selftest import CheckFailed, Env

if TYPE_CHECKING:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from .core.directory import Directory

OVERSEAS = "976"  # Mayotte: local structures, and the national lines must show too
PLANTED = "http://203.0.113.7/autotest.png"  # TEST-NET-3: never routed


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


@contextmanager
def _directory(env: Env) -> Iterator[Directory]:
    from .core.directory import Directory

    d = Directory.open(env.database)
    try:
        yield d
    finally:
        d.close()


# --- Qt helpers ---------------------------------------------------------------------------------------

def qt_app() -> QApplication:
    """The one QApplication, made after the pare:// scheme is registered (QtWebEngine's rule)."""
    from PySide6.QtWidgets import QApplication

    from .ui.schemes import register_schemes

    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    register_schemes()
    try:
        from .app import ensure_app
    except ImportError:
        return QApplication(["pare"])
    return ensure_app(["pare"])


def wait_until(cond: Callable[[], bool], timeout_s: float, what: str) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout_s
    while True:
        QApplication.processEvents()
        if cond():
            return
        if time.monotonic() > end:
            raise CheckFailed(f"délai dépassé ({timeout_s:.0f} s) : {what}")
        time.sleep(0.01)


def not_blank(image: QImage) -> bool:
    """At least two distinct colours on a coarse grid: something was painted."""
    if image.isNull() or image.width() < 10 or image.height() < 10:
        return False
    seen = set()
    for y in range(0, image.height(), max(1, image.height() // 24)):
        for x in range(0, image.width(), max(1, image.width() // 24)):
            seen.add(image.pixel(x, y))
            if len(seen) > 2:
                return True
    return False


def _dispose(panel: Any) -> None:
    """Delete the page before its profile (the other order makes QtWebEngine warn of troubles)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    panel.close()
    panel.page.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    panel.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def shutdown_qt() -> None:
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:
        return
    if QApplication.instance() is not None:
        for _ in range(5):
            QApplication.processEvents()


# --- the checks ---------------------------------------------------------------------------------------

def check_database(env: Env) -> str:
    """The database is created from the demo data, whole and consistent."""
    with _directory(env) as d:
        info = d.dataset_info()
        _require(info.count > 0, "la base créée à partir des données de démonstration est vide")
        _require(d.integrity_ok(), "le contrôle d'intégrité SQLite a échoué")
        return f"{info.count} structures"


def check_search(env: Env) -> str:
    """Filters by an overseas territory keep the national lines; without them, only local structures."""
    from .core.records import SearchQuery

    with _directory(env) as d:
        res = d.search(SearchQuery(territories=(OVERSEAS,)))
        found = d.get_many(list(res.ids))
        local = [s for s in found if not s.is_national]
        national = [s for s in found if s.is_national]
        _require(bool(local), f"aucune structure trouvée pour le territoire {OVERSEAS}")
        _require(all(s.departement == OVERSEAS for s in local),
                 f"une structure hors du territoire {OVERSEAS} est sortie du filtre")
        _require(bool(national), f"les lignes nationales manquent dans les résultats de {OVERSEAS}")
        res2 = d.search(SearchQuery(text="enfance", territories=(OVERSEAS,), include_national=False))
        without = d.get_many(list(res2.ids))
        _require(not any(s.is_national for s in without),
                 "« sans les structures nationales » n'est pas respecté")
        return f"{len(local)} structures à Mayotte, {len(national)} lignes nationales"


def _js(panel: Any, script: str, what: str) -> Any:
    out: list[Any] = []
    panel.run_js(script, out.append)
    wait_until(lambda: bool(out), 15, what)
    return out[0]


def check_map(env: Env) -> str:
    """The map renders in a real QWebEngineView, and no request leaves the machine (the watch is proven)."""
    from .core.records import SearchQuery

    qt_app()
    from .ui.map.view import MapPanel

    with _directory(env) as d:
        panel = MapPanel(d.get_many)
        try:
            panel.resize(900, 640)
            panel.show()
            wait_until(lambda: panel.is_ready, 60, "la page de la carte ne s'est pas chargée")
            wait_until(lambda: bool(json.loads(_js(panel, "PareMap.state()", "état de la carte"))
                                    .get("ready")), 30, "la carte n'est pas prête")
            counts: list[int] = []
            panel.markers_shown.connect(counts.append)
            ids = list(d.search(SearchQuery(territories=(OVERSEAS,))).ids)
            panel.show_results(ids)
            wait_until(lambda: bool(counts), 30, "les marqueurs ne se sont pas affichés")
            _require(counts[-1] > 0, "aucun marqueur sur la carte")
            panel.jump_to(OVERSEAS)
            wait_until(lambda: not_blank(panel.view.grab().toImage()), 20, "la carte reste blanche")

            def offending() -> list[str]:
                csp = [m for m in panel.page.console_errors if m.startswith("CSP")]
                return [*panel.guard.remote, *csp]

            _require(len(panel.guard.requests) > 0,
                     "la surveillance des requêtes n'a rien vu : elle ne marche pas")
            _require(offending() == [],
                     "la carte a tenté de joindre le réseau : " + ", ".join(offending()[:3]))
            # Prove the watch can fail in this build: a planted remote request must be caught.
            _js(panel, f"(new Image()).src = {json.dumps(PLANTED)}, 1", "requête témoin")
            wait_until(lambda: any("203.0.113.7" in m for m in offending()), 15,
                       "une requête distante témoin n'a pas été repérée : la vérification ne prouverait rien")
            return f"{counts[-1]} marqueurs, {len(panel.guard.requests)} requêtes locales, aucune distante"
        finally:
            _dispose(panel)


def _check_file(fmt: str, data: bytes, n: int) -> str | None:
    """None when the file looks right, else what is wrong."""
    if fmt == "csv":
        lines = data.decode("utf-8-sig").splitlines()
        return None if len(lines) >= n + 1 and ";" in lines[0] else "CSV incomplet"
    if fmt == "xlsx":
        import io

        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return None if "xl/workbook.xml" in z.namelist() else "classeur XLSX sans feuille"
    if fmt == "vcard":
        return None if data.decode("utf-8").count("BEGIN:VCARD") == n else "nombre de fiches vCard inattendu"
    if fmt == "pdf":
        return None if data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:] else "PDF tronqué"
    if fmt == "geojson":
        doc = json.loads(data)
        ok = doc.get("type") == "FeatureCollection" and len(doc.get("features", [])) > 0
        return None if ok else "GeoJSON sans entités"
    return f"format inconnu {fmt}"


def check_exports(env: Env) -> str:
    """Every export format is written to a file and read back minimally."""
    from .core.export import EXTENSIONS, FORMATS, export
    from .core.records import SearchQuery

    problems: list[str] = []
    with _directory(env) as d:
        records = d.get_many(list(d.search(SearchQuery(territories=(OVERSEAS,))).ids))
        for fmt in FORMATS:
            path = env.tmp / f"autotest{EXTENSIONS[fmt]}"
            try:
                n = export(records, fmt, path)
                bad = _check_file(fmt, path.read_bytes(), n)
            except Exception as exc:  # one format failing must not hide the others
                bad = f"{type(exc).__name__} : {exc}"
            if bad:
                problems.append(f"{fmt} : {bad}")
    _require(not problems, "exports en échec — " + " ; ".join(problems))
    return f"{len(FORMATS)} formats ({', '.join(FORMATS)})"


def check_sync(env: Env) -> str:
    """A feed built with the publisher's code, signed with a throwaway key, served on loopback, applied."""
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from .core.directory import Directory
    from .core.records import ORIGIN_DEMO, structure_to_dict
    from .sync import keys
    from .sync.client import SyncClient
    from .sync.publish import build
    from .sync.settings import SyncSettings

    root = env.tmp / "sync"
    private, public = keys.generate(root / "cles")
    with _directory(env) as d:
        demo = [s for s in d.all_structures() if s.origin == ORIGIN_DEMO][:40]
    _require(bool(demo), "pas de données de démonstration à publier")
    source = root / "source.pare.jsonl"
    source.write_text("".join(json.dumps(structure_to_dict(s), ensure_ascii=False) + "\n" for s in demo),
                      encoding="utf-8")
    www = root / "www"
    built = build([source], private, www / "flux")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, name="autotest-feed", daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/flux"
        client_dir = root / "client"
        with Directory.open(client_dir / "pare.sqlite") as d:
            settings = SyncSettings(feed_url=url, cache_dir=client_dir / "sync-cache", key_paths=(public,))
            first = SyncClient(d, settings).run()
            _require(first.ok and first.to_version == 1, f"synchronisation refusée : {first.message}")
            info = d.dataset_info()
            _require(not info.is_demo and info.count >= built.manifest.record_count,
                     f"données synchronisées incomplètes ({info.count} / {built.manifest.record_count})")
            second = SyncClient(d, settings).run()
            _require(second.ok and second.to_version in (None, 1),
                     f"seconde synchronisation : {second.message}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    return f"version 1 appliquée ({built.manifest.record_count} structures), signature Ed25519 vérifiée"


def check_window(env: Env) -> str:
    """The main window opens on the database, shows results and paints."""
    from PySide6.QtCore import QSettings

    qt_app()
    from .app import build_gui

    settings = QSettings(str(env.tmp / "fenetre.ini"), QSettings.Format.IniFormat)
    gui = build_gui(env.database, pro=False, settings=settings, restore=False, hook=False)
    try:
        gui.window.resize(1280, 800)
        gui.window.show()
        wait_until(lambda: gui.window.isVisible(), 30, "la fenêtre ne s'affiche pas")
        env.report("fenêtre affichée")
        _require(gui.runner.wait_idle(30_000), "la fenêtre n'a pas fini de charger les résultats")
        wait_until(lambda: gui.window.model.rowCount() > 0, 30, "la liste des résultats reste vide")
        wait_until(lambda: not_blank(gui.window.grab().toImage()), 20, "la fenêtre reste blanche")
        return f"{gui.window.model.rowCount()} résultats affichés"
    finally:
        gui.close()
        shutdown_qt()


#: (key for --only, French name, check), in run order.
CHECKS: tuple[tuple[str, str, Callable[[Env], str]], ...] = (
    ("base", "base de données", check_database),
    ("recherche", "recherche", check_search),
    ("carte", "carte", check_map),
    ("exports", "exports", check_exports),
    ("synchro", "synchronisation", check_sync),
    ("fenetre", "fenêtre", check_window),
)
