"""Writes tests/core/data/pare-v1.sqlite: a database as schema version 1 left it, with user rows.

Run once when schema v1 was current; kept so the fixture can be regenerated and reviewed.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pare_desktop.core.migrations import V1

TARGET = Path(__file__).resolve().parents[1] / "tests" / "core" / "data" / "pare-v1.sqlite"
AREA = '{"national": false, "regions": [], "departements": ["976"], "communes": []}'


def main() -> None:
    TARGET.unlink(missing_ok=True)
    conn = sqlite3.connect(TARGET)
    conn.executescript(V1)
    cols = (
        "id, source, source_id, name, type, description, address, address2, postal_code, commune, "
        "commune_code, departement, region, latitude, longitude, position_exact, timezone, phones, emails, "
        "website, opening_hours, hours_text, supports, publics, modalities, area, visibility, "
        "address_visibility, updated, status, origin, withdrawn"
    )
    conn.execute(
        f"INSERT INTO structure ({cols}) VALUES ('demo:1', 'demo', '1', 'Maison des adolescents (démo)', "
        "'sante-ado-psy', '', '', '', '97600', 'Mamoudzou', '97611', '976', '06', -12.78, 45.23, 0, "
        "'Indian/Mayotte', '[]', '[]', '', 'Mo-Fr 08:00-16:00', '', '[\"soutien-psychologique\"]', "
        f"'[\"mineurs-victimes\"]', '[]', '{AREA}', 'public', 'public', '2025-03-01', 'active', 'demo', 0)"
    )
    conn.execute(
        f"INSERT INTO local_structure (created_at, modified_at, {cols}) VALUES ('2025-01-02 10:00:00', "
        "'2025-01-02 10:00:00', 'local:abc', 'local', 'abc', 'Référente locale (démo)', "
        "'coordination-reseau', 'Contact local', '', '', '97600', 'Mamoudzou', '97611', '976', '06', "
        "NULL, NULL, 0, 'Indian/Mayotte', '[]', '[]', '', '', '', '[]', '[]', '[]', "
        '\'{"national": false, "regions": [], "departements": [], "communes": []}\', \'public\', '
        "'public', NULL, 'active', 'local', 0)"
    )
    conn.execute("INSERT INTO favourite VALUES ('demo:1', '2025-01-02 10:00:00')")
    conn.execute("INSERT INTO note VALUES ('demo:1', 'Appeler Mme X. le mardi', '2025-01-02 10:00:00')")
    conn.execute(
        "INSERT INTO contact_list (id, name, position, created_at) VALUES "
        "(1, 'Réseau Mayotte', 1, '2025-01-02 10:00:00')"
    )
    conn.execute("INSERT INTO contact_list_item VALUES (1, 'demo:1', 0)")
    conn.execute("INSERT INTO contact_list_item VALUES (1, 'local:abc', 1)")
    conn.execute(
        "INSERT INTO error_report (structure_id, message, created_at) VALUES "
        "('demo:1', 'Le numéro a changé', '2025-01-03 09:00:00')"
    )
    conn.execute("INSERT INTO meta VALUES ('seeded', '1'), ('demo', '1'), ('dataset_id', 'demo')")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    print(TARGET, TARGET.stat().st_size)


if __name__ == "__main__":
    main()
