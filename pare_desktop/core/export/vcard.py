"""vCard export, 4.0 (RFC 6350) or 3.0 (RFC 2426): escaping, 75-octet folding on UTF-8 boundaries, CRLF."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from pare_desktop.core import vocabulary
from pare_desktop.core.export import CONFIDENTIAL_NOTICE, ExportJob, report
from pare_desktop.core.export.columns import label
from pare_desktop.core.hours_fr import hours_line
from pare_desktop.core.phones import shown
from pare_desktop.core.progress import Progress
from pare_desktop.core.records import Structure

CRLF = "\r\n"
_SPECIAL = re.compile(r"[\\,;\r\n]")
MAX_OCTETS = 75


def escape(text: str) -> str:
    """RFC 6350 §3.4 text escaping: backslash, comma, semicolon, and every newline as \\n."""
    if not _SPECIAL.search(text):
        return text
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    if len(line) <= MAX_OCTETS and line.isascii():
        return line
    data = line.encode()
    if len(data) <= MAX_OCTETS:
        return line
    parts: list[bytes] = []
    start, limit = 0, MAX_OCTETS
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: cut before the character's first byte
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, MAX_OCTETS - 1  # continuation lines start with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


def _note(s: Structure, confidential: bool) -> str:
    lines = [CONFIDENTIAL_NOTICE] if confidential else []
    if s.supports:
        lines.append("Accompagnements : " + ", ".join(label("support", x) for x in s.supports))
    if s.publics:
        lines.append("Publics : " + ", ".join(label("public", x) for x in s.publics))
    labelled = [f"{p.label} : {shown(p, s.departement)}" for p in s.phones if p.label]
    if labelled:
        lines.append("Téléphones : " + " ; ".join(labelled))
    if hours := hours_line(s.opening_hours, s.hours_text):
        lines.append("Horaires : " + hours)
    if s.area.national:
        lines.append("Intervention : toute la France")
    if s.description:
        lines.append(s.description)
    if s.updated:
        u = s.updated
        lines.append(f"Mise à jour : {u.day:02d}/{u.month:02d}/{u.year}")
    return "\n".join(lines)


def card_lines(s: Structure, version: str, confidential: bool) -> Iterable[str]:
    """The unfolded content lines of one structure's card."""
    v4 = version == "4.0"
    yield "BEGIN:VCARD"
    yield f"VERSION:{version}"
    if v4:
        yield "KIND:org"
    else:
        yield "N:;;;;"
        yield "X-ABShowAs:COMPANY"
    yield f"FN:{escape(s.name)}"
    yield f"ORG:{escape(s.name)}"
    yield f"UID:{escape('urn:x-pare:' + s.id)}"
    for p in s.phones:
        if v4:
            yield f"TEL;VALUE=uri;TYPE=voice,work:tel:{p.number}"
        else:
            yield f"TEL;TYPE=WORK,VOICE:{escape(p.number)}"
    if s.address or s.commune or s.postal_code:
        street = escape(", ".join(x for x in (s.address, s.address2) if x))
        kind = "work" if v4 else "WORK"
        yield f"ADR;TYPE={kind}:;;{street};{escape(s.commune)};;{escape(s.postal_code)};France"
    for e in s.emails:
        yield f"EMAIL;TYPE={'work' if v4 else 'INTERNET,WORK'}:{escape(e)}"
    if s.website:
        yield f"URL:{s.website if v4 else escape(s.website)}"
    if s.has_position:
        yield f"GEO:geo:{s.latitude},{s.longitude}" if v4 else f"GEO:{s.latitude};{s.longitude}"
    categories = ["PARÉ", vocabulary.short_label("type", s.type)]
    categories += [vocabulary.short_label("support", x) for x in s.supports]
    yield "CATEGORIES:" + ",".join(escape(c) for c in dict.fromkeys(categories))
    note = _note(s, confidential)
    if note:
        yield f"NOTE:{escape(note)}"
    if confidential and not v4:
        yield "CLASS:CONFIDENTIAL"
    if s.updated:
        yield f"REV:{s.updated.year:04d}{s.updated.month:02d}{s.updated.day:02d}T000000Z"
    yield "END:VCARD"


def write(job: ExportJob, path: Path, progress: Progress) -> None:
    version = job.options.vcard_version
    total = len(job.records)
    with path.open("w", encoding="utf-8", newline="") as f:
        for i, s in enumerate(job.records, 1):
            f.write(CRLF.join(fold(line) for line in card_lines(s, version, job.confidential)) + CRLF)
            report(progress, i, total)
