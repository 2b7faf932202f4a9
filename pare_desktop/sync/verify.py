"""Manifest verification: signature over the raw bytes first, then rollback, expiry and version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .errors import ExpiredError, FeedFormatError, RollbackError, SignatureError, UnknownKeyError
from .feed import Manifest, open_envelope, parse_manifest
from .keys import PublicKey


@dataclass(frozen=True, slots=True)
class Installed:
    """What the client trusts now: the dataset it holds and the highest version it accepted for it."""

    dataset_id: str
    version: int | None  # version of the data in the database (None: demo or import)
    trusted_version: int | None  # highest version ever applied for this dataset id


def verify_signature(raw: bytes, trusted: Sequence[PublicKey]) -> bytes:
    """The signed manifest bytes, once a trusted key's signature over them checks out."""
    signed, signatures = open_envelope(raw)
    by_id = {k.keyid: k for k in trusted}
    known = [(by_id[keyid], sig) for keyid, sig in signatures if keyid in by_id]
    if not known:
        raise UnknownKeyError(
            "signature invalide : le manifeste n'a pas été signé par la clé PARÉ attendue (clé inconnue)"
        )
    if not any(key.verify(sig, signed) for key, sig in known):
        raise SignatureError("signature invalide : le manifeste n'a pas été signé par la clé PARÉ attendue")
    return signed


def verify_manifest(raw: bytes, trusted: Sequence[PublicKey]) -> Manifest:
    """Verify then parse: nothing from the manifest is read before its signature is checked."""
    return parse_manifest(verify_signature(raw, trusted))


def is_up_to_date(m: Manifest, installed: Installed, now: datetime) -> bool:
    """Refuse rollback and expired data; True when the offered version is the one installed."""
    if installed.trusted_version is not None and m.version < installed.trusted_version:
        raise RollbackError(m.version, installed.trusted_version)
    if m.expires <= now:
        raise ExpiredError(
            f"le flux de la version {m.version} a expiré le {m.expires:%d/%m/%Y} : mise à jour refusée, "
            "les données actuelles restent utilisables"
        )
    if m.created > m.expires:
        raise FeedFormatError("manifeste incohérent : créé après sa date d'expiration")
    return installed.dataset_id == m.dataset_id and installed.version == m.version
