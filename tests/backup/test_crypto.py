"""The encrypted backup format: streamed in chunks, authenticated, a clear word for each failure."""

import os

import pytest

from kiosk.backup import crypto
from kiosk.backup.crypto import DecryptionError, decrypt_file, encrypt_file, is_encrypted

PASSPHRASE = "une phrase de passe assez longue"


@pytest.fixture
def plain(tmp_path):
    """Two and a half chunks of random bytes, so the chunking is exercised."""
    path = tmp_path / "plain.bin"
    path.write_bytes(os.urandom(crypto.CHUNK * 2 + crypto.CHUNK // 2))
    return path


@pytest.fixture
def sealed(plain, tmp_path):
    path = tmp_path / "sealed.enc"
    encrypt_file(plain, path, PASSPHRASE)
    return path


def test_round_trip(plain, sealed, tmp_path):
    """Does a multi-chunk file come back byte for byte with the right passphrase?"""
    assert is_encrypted(sealed) and not is_encrypted(plain)
    decrypt_file(sealed, tmp_path / "back.bin", PASSPHRASE)
    assert (tmp_path / "back.bin").read_bytes() == plain.read_bytes()


def test_empty_file_round_trip(tmp_path):
    """Does an empty file survive encryption too (one final, empty chunk)?"""
    (tmp_path / "empty").write_bytes(b"")
    encrypt_file(tmp_path / "empty", tmp_path / "empty.enc", PASSPHRASE)
    decrypt_file(tmp_path / "empty.enc", tmp_path / "back", PASSPHRASE)
    assert (tmp_path / "back").read_bytes() == b""


def test_wrong_passphrase_is_named(sealed, tmp_path):
    """Is a wrong passphrase told as such (not as a damaged file)?"""
    with pytest.raises(DecryptionError, match="phrase de passe incorrecte"):
        decrypt_file(sealed, tmp_path / "back.bin", "une autre phrase de passe")


@pytest.mark.parametrize("spoil, message", [
    (lambda data: data[: len(data) - crypto.CHUNK // 2], "tronqué"),
    (lambda data: data[: crypto.HEADER_SIZE + 5 + crypto.CHUNK + 16], "tronqué"),
    (lambda data: data + b"extra", "en trop"),
    (lambda data: data[:-100] + bytes([data[-100] ^ 1]) + data[-99:], "abîmée"),
    (lambda data: data[:40] + bytes([data[40] ^ 1]) + data[41:], "phrase de passe incorrecte"),
])
def test_spoilt_files_are_refused(sealed, tmp_path, spoil, message):
    """Are a truncated, extended, flipped-bit or altered-header file refused rather than half restored?"""
    spoilt = tmp_path / "spoilt.enc"
    spoilt.write_bytes(spoil(sealed.read_bytes()))
    with pytest.raises(DecryptionError, match=message):
        decrypt_file(spoilt, tmp_path / "back.bin", PASSPHRASE)


def test_swapped_chunks_are_refused(sealed, tmp_path):
    """Is a file with two chunks swapped refused (each chunk is bound to its place)?"""
    data = sealed.read_bytes()
    size = 5 + crypto.CHUNK + 16
    start = crypto.HEADER_SIZE
    first, second = data[start:start + size], data[start + size:start + 2 * size]
    (tmp_path / "swapped.enc").write_bytes(data[:start] + second + first + data[start + 2 * size:])
    with pytest.raises(DecryptionError, match="abîmée"):
        decrypt_file(tmp_path / "swapped.enc", tmp_path / "back.bin", PASSPHRASE)


def test_not_our_format(plain, tmp_path):
    """Is a file that is not one of ours refused with a plain word?"""
    with pytest.raises(DecryptionError, match="n'est pas une sauvegarde chiffrée"):
        decrypt_file(plain, tmp_path / "back.bin", PASSPHRASE)
