"""Schema versions of the database file, as plain SQL steps numbered by PRAGMA user_version.

Why not Alembic: the app owns a single SQLite file whose schema changes rarely; a numbered list of SQL
steps applied in one transaction after a backup is all we need, works frozen without a migrations
directory on disk, and keeps the bundle small. Each step is frozen once released: never edit one, add one.
"""

from __future__ import annotations

# Version 1: the first released schema.
V1 = """
CREATE TABLE contact_list (
    id INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (name)
);
CREATE TABLE error_report (
    id INTEGER NOT NULL,
    structure_id VARCHAR NOT NULL,
    message TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    sent_at DATETIME,
    PRIMARY KEY (id)
);
CREATE TABLE favourite (
    structure_id VARCHAR NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (structure_id)
);
CREATE TABLE local_structure (
    created_at DATETIME NOT NULL,
    modified_at DATETIME NOT NULL,
    id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    description TEXT NOT NULL,
    address VARCHAR NOT NULL,
    address2 VARCHAR NOT NULL,
    postal_code VARCHAR NOT NULL,
    commune VARCHAR NOT NULL,
    commune_code VARCHAR NOT NULL,
    departement VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    latitude FLOAT,
    longitude FLOAT,
    position_exact BOOLEAN NOT NULL,
    timezone VARCHAR NOT NULL,
    phones JSON NOT NULL,
    emails JSON NOT NULL,
    website VARCHAR NOT NULL,
    opening_hours VARCHAR NOT NULL,
    hours_text VARCHAR NOT NULL,
    supports JSON NOT NULL,
    publics JSON NOT NULL,
    age_min INTEGER,
    age_max INTEGER,
    modalities JSON NOT NULL,
    area JSON NOT NULL,
    visibility VARCHAR NOT NULL,
    address_visibility VARCHAR NOT NULL,
    updated DATE,
    status VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    withdrawn BOOLEAN NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_local_structure_source ON local_structure (source);
CREATE TABLE meta (
    "key" VARCHAR NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY ("key")
);
CREATE TABLE note (
    structure_id VARCHAR NOT NULL,
    text TEXT NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (structure_id)
);
CREATE TABLE search_index (
    name VARCHAR NOT NULL,
    generation INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (name)
);
CREATE TABLE structure (
    id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    type VARCHAR NOT NULL,
    description TEXT NOT NULL,
    address VARCHAR NOT NULL,
    address2 VARCHAR NOT NULL,
    postal_code VARCHAR NOT NULL,
    commune VARCHAR NOT NULL,
    commune_code VARCHAR NOT NULL,
    departement VARCHAR NOT NULL,
    region VARCHAR NOT NULL,
    latitude FLOAT,
    longitude FLOAT,
    position_exact BOOLEAN NOT NULL,
    timezone VARCHAR NOT NULL,
    phones JSON NOT NULL,
    emails JSON NOT NULL,
    website VARCHAR NOT NULL,
    opening_hours VARCHAR NOT NULL,
    hours_text VARCHAR NOT NULL,
    supports JSON NOT NULL,
    publics JSON NOT NULL,
    age_min INTEGER,
    age_max INTEGER,
    modalities JSON NOT NULL,
    area JSON NOT NULL,
    visibility VARCHAR NOT NULL,
    address_visibility VARCHAR NOT NULL,
    updated DATE,
    status VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,
    withdrawn BOOLEAN NOT NULL,
    PRIMARY KEY (id)
);
CREATE INDEX ix_structure_source ON structure (source);
CREATE TABLE contact_list_item (
    list_id INTEGER NOT NULL,
    structure_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (list_id, structure_id),
    FOREIGN KEY(list_id) REFERENCES contact_list (id) ON DELETE CASCADE
);"""

# Version 2: error reports remember the structure's name (the record may later disappear upstream),
# and every sync attempt is kept in a history the user can open.
V2 = """
ALTER TABLE error_report ADD COLUMN structure_name VARCHAR NOT NULL DEFAULT '';
CREATE TABLE sync_history (
    id INTEGER NOT NULL,
    started_at DATETIME NOT NULL,
    finished_at DATETIME,
    outcome VARCHAR NOT NULL,
    from_version INTEGER,
    to_version INTEGER,
    bytes_downloaded INTEGER NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (id)
);
"""

# Version 3: the last import can be undone: the publisher rows it changed, as they were before it
# (row NULL: the id did not exist). Cleared by the next import, undo or sync.
V3 = """
CREATE TABLE import_undo (
    seq INTEGER NOT NULL,
    structure_id VARCHAR NOT NULL,
    row TEXT,
    PRIMARY KEY (seq)
);
"""

#: STEPS[i] upgrades a database from user_version i to i + 1.
STEPS: tuple[str, ...] = (V1, V2, V3)
SCHEMA_VERSION = len(STEPS)
