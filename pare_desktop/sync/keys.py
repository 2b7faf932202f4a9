"""Ed25519 keys of the feed: generation, files (private key readable by its owner only), key ids."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .errors import KeyFileError

PRIVATE_NAME = "pare-feed.key"
PUBLIC_NAME = "pare-feed.pub"


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A trusted public key and its id (sha256 of the raw 32 key bytes, hex)."""

    keyid: str
    key: Ed25519PublicKey

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            self.key.verify(signature, data)
        except InvalidSignature:
            return False
        return True


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_key(key: Ed25519PublicKey) -> PublicKey:
    return PublicKey(key_id(key), key)


def generate(out_dir: Path) -> tuple[Path, Path]:
    """Write a new key pair into out_dir; refuses to overwrite an existing private key."""
    out_dir.mkdir(parents=True, exist_ok=True)
    priv_path, pub_path = out_dir / PRIVATE_NAME, out_dir / PUBLIC_NAME
    if priv_path.exists():
        raise KeyFileError(f"la clé privée « {priv_path} » existe déjà : elle n'est pas remplacée")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(priv_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    os.chmod(priv_path, 0o600)
    pub_path.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return priv_path, pub_path


def load_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise KeyFileError(f"clé privée illisible : « {path} »") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"« {path} » n'est pas une clé privée Ed25519")
    return key


def load_public(path: Path) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise KeyFileError(f"clé publique illisible : « {path} »") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"« {path} » n'est pas une clé publique Ed25519")
    return public_key(key)
