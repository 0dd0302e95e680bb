"""Encrypted backups: AES-256-GCM in 1 MiB chunks, the key derived from a passphrase with scrypt.

A backup may go to a USB stick that can be lost; encrypted, it is useless without the passphrase.
The file is streamed chunk by chunk (a Raspberry Pi does not hold a 100 MB database twice in memory).

Layout: MAGIC, scrypt log2(n), r, p, salt (16), nonce prefix (8), passphrase check (32), then chunks
of [final flag (1)][plain length (4)][ciphertext + tag]. Each chunk's nonce is the prefix and its
number; the header, the number and the final flag are authenticated, so a reordered, truncated or
extended file is refused rather than restored half.
"""

import hashlib
import hmac
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"CEPOURMOI-BACKUP-AESGCM-1\n"
CHUNK = 1024 * 1024
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
_PARAMS = struct.Struct(">BBB")
_CHUNK_HEAD = struct.Struct(">BI")
HEADER_SIZE = len(MAGIC) + _PARAMS.size + 16 + 8 + 32
PASSPHRASE_ENV = "KIOSK_BACKUP_PASSPHRASE"


class DecryptionError(ValueError):
    """A wrong passphrase or a damaged file; the message says which, in plain French."""


def is_encrypted(path) -> bool:
    """Whether a file starts like one of our encrypted backups."""
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _derive(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    """The AES key and the passphrase check value."""
    material = Scrypt(salt=salt, length=64, n=2**log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return material[:32], hashlib.sha256(b"passphrase-check" + material[32:]).digest()


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + struct.pack(">I", number)


def encrypt_file(source, target, passphrase: str) -> None:
    """Write the file at source, encrypted with the passphrase, into the file at target."""
    salt, prefix = os.urandom(16), os.urandom(8)
    key, check = _derive(passphrase, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
    header = MAGIC + _PARAMS.pack(SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P) + salt + prefix + check
    aead = AESGCM(key)
    with open(source, "rb") as plain, open(target, "wb") as out:
        out.write(header)
        number = 0
        block = plain.read(CHUNK)
        while True:
            following = plain.read(CHUNK)
            final = 0 if following else 1
            head = _CHUNK_HEAD.pack(final, len(block))
            out.write(head)
            out.write(aead.encrypt(_nonce(prefix, number), block, header + struct.pack(">I", number) + head))
            if final:
                break
            block, number = following, number + 1
        out.flush()
        os.fsync(out.fileno())


def decrypt_file(source, target, passphrase: str) -> None:
    """Write the plain content of an encrypted backup into target; DecryptionError when it cannot."""
    with open(source, "rb") as encrypted, open(target, "wb") as out:
        header = encrypted.read(HEADER_SIZE)
        if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
            raise DecryptionError("ce fichier n'est pas une sauvegarde chiffrée de CéPourMoi")
        offset = len(MAGIC)
        log2_n, r, p = _PARAMS.unpack_from(header, offset)
        offset += _PARAMS.size
        salt, prefix, check = header[offset:offset + 16], header[offset + 16:offset + 24], header[offset + 24:]
        if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
            raise DecryptionError("l'en-tête de la sauvegarde chiffrée est abîmé")
        key, expected = _derive(passphrase, salt, log2_n, r, p)
        if not hmac.compare_digest(check, expected):
            raise DecryptionError("phrase de passe incorrecte pour cette sauvegarde")
        aead = AESGCM(key)
        number = 0
        while True:
            head = encrypted.read(_CHUNK_HEAD.size)
            if len(head) < _CHUNK_HEAD.size:
                raise DecryptionError("sauvegarde chiffrée incomplète (fichier tronqué)")
            final, length = _CHUNK_HEAD.unpack(head)
            if length > CHUNK or final not in (0, 1):
                raise DecryptionError("sauvegarde chiffrée abîmée")
            sealed = encrypted.read(length + 16)
            if len(sealed) < length + 16:
                raise DecryptionError("sauvegarde chiffrée incomplète (fichier tronqué)")
            try:
                out.write(aead.decrypt(_nonce(prefix, number), sealed, header + struct.pack(">I", number) + head))
            except InvalidTag as exc:
                raise DecryptionError("sauvegarde chiffrée abîmée (contrôle d'authenticité en échec)") from exc
            if final:
                break
            number += 1
        if encrypted.read(1):
            raise DecryptionError("sauvegarde chiffrée abîmée (données en trop à la fin)")
        out.flush()
        os.fsync(out.fileno())


def passphrase_from_env() -> str | None:
    """The backup passphrase from KIOSK_BACKUP_PASSPHRASE, or None when it is not set."""
    return os.environ.get(PASSPHRASE_ENV) or None
