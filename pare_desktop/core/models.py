"""SQLAlchemy 2 typed models: publisher tables (replaceable) and user tables (never touched by sync)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every table."""


class StructureColumns:
    """The columns of a structure, shared by publisher and local structures (see records.Structure)."""

    id: Mapped[str] = mapped_column(String, primary_key=True)
    source: Mapped[str] = mapped_column(String, index=True)
    source_id: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(String)
    type: Mapped[str] = mapped_column(String)
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String, default="")
    address2: Mapped[str] = mapped_column(String, default="")
    postal_code: Mapped[str] = mapped_column(String, default="")
    commune: Mapped[str] = mapped_column(String, default="")
    commune_code: Mapped[str] = mapped_column(String, default="")
    departement: Mapped[str] = mapped_column(String, default="")
    region: Mapped[str] = mapped_column(String, default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    position_exact: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str] = mapped_column(String, default="Europe/Paris")
    phones: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    website: Mapped[str] = mapped_column(String, default="")
    opening_hours: Mapped[str] = mapped_column(String, default="")
    hours_text: Mapped[str] = mapped_column(String, default="")
    supports: Mapped[list[str]] = mapped_column(JSON, default=list)
    publics: Mapped[list[str]] = mapped_column(JSON, default=list)
    age_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    age_max: Mapped[int | None] = mapped_column(Integer, nullable=True)
    modalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    area: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    visibility: Mapped[str] = mapped_column(String, default="public")
    address_visibility: Mapped[str] = mapped_column(String, default="public")
    updated: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String, default="active")
    origin: Mapped[str] = mapped_column(String, default="publisher")
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)


class StructureRow(StructureColumns, Base):
    """Publisher data: replaced by import and sync, never referenced by a foreign key from user tables."""

    __tablename__ = "structure"


class LocalStructureRow(StructureColumns, Base):
    """A structure created by the user (a coordinator's local contact): user data."""

    __tablename__ = "local_structure"

    created_at: Mapped[datetime] = mapped_column(DateTime)
    modified_at: Mapped[datetime] = mapped_column(DateTime)


# --- user data: keyed by structure id as plain text, so nothing that replaces publisher rows reaches it --


class Favourite(Base):
    __tablename__ = "favourite"

    structure_id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Note(Base):
    __tablename__ = "note"

    structure_id: Mapped[str] = mapped_column(String, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ContactList(Base):
    __tablename__ = "contact_list"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String, unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ContactListItem(Base):
    __tablename__ = "contact_list_item"

    list_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("contact_list.id", ondelete="CASCADE"), primary_key=True
    )
    structure_id: Mapped[str] = mapped_column(String, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ErrorReport(Base):
    """A "signaler une erreur" report queued locally until a sync can send it."""

    __tablename__ = "error_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    structure_id: Mapped[str] = mapped_column(String)
    structure_name: Mapped[str] = mapped_column(String, default="")
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


# --- state -------------------------------------------------------------------------------------------


class Meta(Base):
    """Key/value state of the dataset and of sync (dataset id, version, dates, trusted version...)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncHistory(Base):
    __tablename__ = "sync_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    outcome: Mapped[str] = mapped_column(String)  # "updated", "up_to_date", "failed", "cancelled"
    from_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bytes_downloaded: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")


class ImportUndo(Base):
    """One publisher row as it was before the last import (row: its raw values as JSON; NULL: absent)."""

    __tablename__ = "import_undo"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    structure_id: Mapped[str] = mapped_column(String)
    row: Mapped[str | None] = mapped_column(Text, nullable=True)


class SearchIndexBlob(Base):
    """The persisted search index of the publisher data, valid for one data generation."""

    __tablename__ = "search_index"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


USER_TABLES = ("favourite", "note", "contact_list", "contact_list_item", "local_structure", "error_report")
