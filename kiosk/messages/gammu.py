"""A USB GSM modem through Debian's `gammu-smsd`, by its files backend (gammu-smsd-files(7)).

The box never talks to the modem: it writes each SMS as one file in gammu-smsd's outbox, and
gammu-smsd sends it and moves it to its sent (or error) folder under the same name. The address
`gammu:///var/spool/gammu` names the spool; gammu-smsd's configuration must use its four folders:

    [smsd]
    service = files
    inboxpath = /var/spool/gammu/inbox/
    outboxpath = /var/spool/gammu/outbox/
    sentsmspath = /var/spool/gammu/sent/
    errorsmspath = /var/spool/gammu/error/
    inboxformat = unicode

(without `sentsmspath` gammu-smsd deletes what it sent, and the box could no longer tell that a
message left: it refuses to write until the sent and error folders exist).

- send: `OUTC<date>_<time>_00_<number>_<our id>.txt`, the name gammu-smsd-inject gives (the last
  part is a note gammu-smsd ignores: we put the outbox row's idempotency key there), in gammu's
  "unicode" format (a FE FF byte-order mark, then UTF-16 big-endian, as gammu-smsd-inject writes it
  with `OutboxFormat = unicode`: read the same whatever the daemon's locale). The file is written
  under a hidden name (gammu-smsd skips names starting with a dot) and renamed: gammu-smsd never
  sees half a message.
- lookup: our id in the outbox ("Pending"), in sent/ ("Sent") or in error/ ("Failed"); nowhere:
  UNKNOWN. A file written is found again, so it is never written twice.
- incoming: `IN<date>_<time>_<serial>_<sender>_<part>.txt` in inbox/ (unicode or standard format);
  the "STOP" replies are handed to the sender, and removed once honoured.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from kiosk.messages.gateway_errors import UNKNOWN, Accepted, GatewayError, GatewayRefused
from kiosk.platform.timezone import to_local, utcnow

NUMBER = re.compile(r"\+?[0-9]{3,20}")
KEY = re.compile(r"[0-9A-Za-z-]{1,60}")
FOLDERS = {"outbox": "Pending", "sent": "Sent", "error": "Failed"}
BOM_BE, BOM_LE = b"\xfe\xff", b"\xff\xfe"


class GammuSpool:
    name = "gammu"

    def __init__(self, path: str):
        self.root = Path(path)

    def folder(self, name: str) -> Path:
        return self.root / name

    def _check_folders(self) -> None:
        for name in ("outbox", "sent", "error"):
            if not self.folder(name).is_dir():
                raise GatewayError(f"dossier {self.folder(name)} absent : gammu-smsd doit garder ses SMS "
                                   "dans outbox/, sent/ et error/")

    def send(self, key: str, phone: str, text: str) -> Accepted:
        """Write one SMS in gammu-smsd's outbox under our id, unless a file of that id exists already."""
        if not NUMBER.fullmatch(phone):
            raise GatewayRefused(f"numéro refusé pour le modem : {phone!r}")
        if not KEY.fullmatch(key):
            raise GatewayRefused("identifiant de message invalide")
        self._check_folders()
        state = self.lookup(key)
        if state is not UNKNOWN:
            return Accepted(key, state)
        stamp = to_local(utcnow()).strftime("%Y%m%d_%H%M%S")
        outbox = self.folder("outbox")
        hidden = outbox / f".{key}.part"
        final = outbox / f"OUTC{stamp}_00_{phone}_{key}.txt"
        try:
            with open(hidden, "wb") as file:
                file.write(BOM_BE + text.encode("utf-16-be"))
                file.flush()
                os.fsync(file.fileno())
            os.rename(hidden, final)
            _sync_folder(outbox)
        except OSError as exc:
            raise GatewayError(f"le dossier de gammu-smsd refuse l'écriture ({exc.strerror or exc})") from exc
        return Accepted(key, "Pending")

    def lookup(self, key: str) -> str | None:
        """"Pending", "Sent" or "Failed" after the folder our file is in; UNKNOWN when it is in none."""
        suffix = f"_{key}.txt"
        for name, state in FOLDERS.items():
            try:
                with os.scandir(self.folder(name)) as entries:
                    if any(entry.name.startswith("OUT") and entry.name.endswith(suffix) for entry in entries):
                        return state
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise GatewayError(f"dossier de gammu-smsd illisible ({exc.strerror or exc})") from exc
        return UNKNOWN

    def incoming(self) -> list[tuple[str, str, Path]]:
        """The SMS received, as (sender, text, file), oldest first; [] when there is no inbox."""
        inbox = self.folder("inbox")
        try:
            names = sorted(entry.name for entry in os.scandir(inbox)
                           if entry.name.startswith("IN") and entry.name.endswith(".txt"))
        except OSError:
            return []
        found = []
        for name in names:
            parts = name.split("_")
            if len(parts) < 5:
                continue
            try:
                data = (inbox / name).read_bytes()[:4096]
            except OSError:
                continue
            found.append((parts[3], decode(data), inbox / name))
        return found

    def forget(self, file: Path) -> None:
        """Remove an incoming SMS once it has been honoured."""
        try:
            file.unlink()
        except FileNotFoundError:
            pass


def decode(data: bytes) -> str:
    """An inbox file's text: gammu's "unicode" (UTF-16 with its mark) or "standard" (UTF-8 here)."""
    if data.startswith(BOM_BE):
        return data[2:].decode("utf-16-be", errors="replace")
    if data.startswith(BOM_LE):
        return data[2:].decode("utf-16-le", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (a power cut right after must not bring the message back as unknown)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
