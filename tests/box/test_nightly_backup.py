"""`kiosk box backup`, what the nightly timer runs: rotation, the USB keys found in the mount table,
encryption when a passphrase file is there, and what the status page then shows."""

import json
from pathlib import Path

from kiosk.backup.crypto import is_encrypted

PASSPHRASE = "une phrase de passe assez longue"


def mount_table(tmp_path, *points, read_only=()) -> Path:
    """A mount table in /proc/self/mounts' format listing these folders (as a USB key would be)."""
    lines = ["/dev/sda1 / ext4 rw,relatime 0 0", "proc /proc proc rw 0 0"]
    lines += ["/dev/sdb1 " + str(p).replace(" ", r"\040") + " vfat rw,nosuid 0 0" for p in points]
    lines += [f"/dev/sdc1 {p} vfat ro,nosuid 0 0" for p in read_only]
    table = tmp_path / "mounts"
    table.write_text("\n".join(lines) + "\n")
    return table


def backups_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("cepourmoi-"))


def test_rotates_in_the_instance_and_on_the_usb_key(kiosk, tmp_path):
    """Three nights with --keep 2: are two backups left in the box's folder and on the mounted key,
    a read-only key and folders not mounted left alone, and the last one recorded for the status page?"""
    media = tmp_path / "media"
    key, locked, unplugged = media / "pi" / "CLE USB", media / "pi" / "LOCKED", media / "pi" / "GONE"
    for folder in (key, locked, unplugged):
        folder.mkdir(parents=True)
    mounts = mount_table(tmp_path, key, read_only=[locked])
    for _night in range(3):
        result = kiosk("box", "backup", "--keep", "2", "--usb-root", media, "--mounts", mounts)
        assert result.returncode == 0, result.stderr
    local = tmp_path / "instance" / "backups"
    on_key = key / "cepourmoi-sauvegardes"
    assert len(backups_in(local)) == 2 and len(backups_in(on_key)) == 2
    assert list(locked.iterdir()) == [] and list(unplugged.iterdir()) == []
    assert "1 ancienne(s) supprimée(s)" in result.stdout
    record = json.loads((tmp_path / "instance" / "last-backup.json").read_text())
    assert record["where"] == [str(local), str(on_key)] and record["encrypted"] is False


def test_encrypted_when_a_passphrase_file_is_set(kiosk, tmp_path):
    """With instance/backup-passphrase, is every copy encrypted, and said so?"""
    (tmp_path / "instance").mkdir(exist_ok=True)
    (tmp_path / "instance" / "backup-passphrase").write_text(PASSPHRASE + "\n")
    result = kiosk("box", "backup", "--mounts", mount_table(tmp_path))
    assert result.returncode == 0, result.stderr
    [name] = backups_in(tmp_path / "instance" / "backups")
    assert name.endswith(".sqlite3.enc") and is_encrypted(tmp_path / "instance" / "backups" / name)
    assert json.loads((tmp_path / "instance" / "last-backup.json").read_text())["encrypted"] is True
    (tmp_path / "instance" / "backup-passphrase").write_text("court")
    refused = kiosk("box", "backup", "--mounts", mount_table(tmp_path))
    assert refused.returncode != 0 and "trop courte" in refused.stderr
    assert len(backups_in(tmp_path / "instance" / "backups")) == 1


def test_a_key_that_cannot_be_written_fails_the_run_but_not_the_box_copy(kiosk, tmp_path):
    """A mounted key whose folder cannot be made: is the box's own copy still written and recorded,
    and the run failed (the journal shows it)?"""
    media = tmp_path / "media"
    key = media / "KEY"
    key.mkdir(parents=True)
    (key / "cepourmoi-sauvegardes").write_text("a file where the folder should be")
    result = kiosk("box", "backup", "--usb-root", media, "--mounts", mount_table(tmp_path, key))
    assert result.returncode != 0 and len(result.stderr.strip().splitlines()) == 1
    assert len(backups_in(tmp_path / "instance" / "backups")) == 1
    record = json.loads((tmp_path / "instance" / "last-backup.json").read_text())
    assert record["where"] == [str(tmp_path / "instance" / "backups")]
