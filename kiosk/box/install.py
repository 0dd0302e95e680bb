"""`kiosk box install` and `uninstall`: what they write and run, as a plan that can be printed
(--dry-run), applied to the box, or applied below another root folder (tests) without running anything."""

import json
import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.box.front import SITE, FrontSettings, error_files, render_site, static_files
from kiosk.box.network import AVAHI_CONF, avahi_service, chrony_conf, with_host_name
from kiosk.box.units import SERVICE, UNITS, BoxSettings, render_units

STATE = Path("/var/lib/cepourmoi")
MANIFEST = STATE / "installed.json"
SYSTEMD = Path("/etc/systemd/system")
NGINX = Path("/etc/nginx")
AVAHI_SERVICE = Path("/etc/avahi/services/cepourmoi.service")
CHRONY_CONF = Path("/etc/chrony/conf.d/cepourmoi.conf")
DEFAULT_SITE = NGINX / "sites-enabled/default"
AVAHI_ORIGINAL = STATE / "avahi-daemon.conf.orig"


class InstallError(RuntimeError):
    """The box cannot be installed as asked; the message is for people."""


@dataclass
class Plan:
    """Files to write (box path → bytes, mode), links, paths to remove, commands, notes, in that order."""

    files: dict[Path, tuple[bytes, int]] = field(default_factory=dict)
    links: dict[Path, str] = field(default_factory=dict)
    removals: list[Path] = field(default_factory=list)
    commands: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """What --dry-run prints: every file, link, removal and command."""
        out = [f"écrire    {path} ({mode:04o}, {len(data)} octets)" for path, (data, mode) in self.files.items()]
        out += [f"lier      {link} -> {target}" for link, target in self.links.items()]
        out += [f"supprimer {path}" for path in self.removals]
        out += ["lancer    " + " ".join(command) for command in self.commands]
        return out + [f"note      {note}" for note in self.notes]


def front_settings(settings: BoxSettings, max_body: int) -> FrontSettings:
    tls = settings.instance / "tls"
    return FrontSettings(certificate=tls / "box.crt", certificate_key=tls / "box.key", static=STATE / "static",
                         errors=STATE / "errors", socket=settings.socket, max_body_bytes=max_body)


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _unreadable_parent(path: Path) -> Path | None:
    """The first folder above path that another user cannot enter (the service user could not either)."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.stat().st_mode & stat.S_IXOTH:
            return parent
    return None


def install_plan(settings: BoxSettings, max_body: int, root: Path) -> Plan:
    """Everything `kiosk box install` writes and runs; optional parts follow what the box has (below root)."""
    plan = Plan()
    for name, text in render_units(settings).items():
        plan.files[SYSTEMD / name] = (text.encode(), 0o644)
    if not (root / NGINX.relative_to("/")).is_dir():
        raise InstallError("nginx n'est pas installé : sudo apt-get install nginx, puis relancez")
    front = front_settings(settings, max_body)
    plan.files[NGINX / "sites-available" / SITE] = (render_site(front).encode(), 0o644)
    plan.links[NGINX / "sites-enabled" / SITE] = f"../sites-available/{SITE}"
    for relative, data in static_files(settings.static).items():
        plan.files[front.static / relative] = (data, 0o644)
    for relative, data in error_files().items():
        plan.files[front.errors / relative] = (data, 0o644)
    default_site = root / DEFAULT_SITE.relative_to("/")
    if default_site.is_symlink() or default_site.exists():
        plan.removals.append(DEFAULT_SITE)  # it also claims port 80 as the default server
    if (root / "etc/avahi").is_dir():
        plan.files[AVAHI_SERVICE] = (avahi_service().encode(), 0o644)
        _avahi_host_name(plan, root)
    else:
        plan.notes.append("avahi absent : la boîte ne répondra pas au nom cepourmoi.local (apt-get install avahi-daemon)")
    if (root / "etc/chrony").is_dir():
        plan.files[CHRONY_CONF] = (chrony_conf().encode(), 0o644)
    else:
        plan.notes.append("chrony absent : l'heure ne sera pas prise sur le réseau local (apt-get install chrony)")
    plan.files[MANIFEST] = (b"", 0o644)  # filled in once the plan is complete
    if not user_exists(settings.user):
        plan.commands.append(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                              "--shell", "/usr/sbin/nologin", settings.user])
    plan.commands += [
        [str(settings.kiosk), "box", "certificate"],  # the box's own authority and its certificate
        ["chown", "-R", f"{settings.user}:{settings.user}", str(settings.instance)],
        ["chmod", "0700", str(settings.instance)],
        ["systemctl", "daemon-reload"],
        ["systemctl", "enable", *UNITS[:1], UNITS[2]],
        ["systemctl", "restart", SERVICE],
        ["systemctl", "start", UNITS[2]],
        ["nginx", "-t", "-q"],
        ["systemctl", "reload-or-restart", "nginx"],
    ]
    if AVAHI_SERVICE in plan.files:
        plan.commands.append(["systemctl", "reload-or-restart", "avahi-daemon"])
    if CHRONY_CONF in plan.files:
        plan.commands.append(["systemctl", "restart", "chrony"])
    blocked = _unreadable_parent(settings.venv)
    if blocked:
        plan.notes.append(f"{blocked} est fermé aux autres utilisateurs : le service ne pourra pas lire {settings.venv} "
                          "(installez la boîte dans /opt, ou chmod o+x)")
    manifest = {"files": [str(p) for p in plan.files if not p.is_relative_to(STATE) and p != AVAHI_CONF],
                "links": [str(p) for p in plan.links],
                "default_site": os.readlink(default_site) if default_site.is_symlink() else _read_manifest(root).get(
                    "default_site")}
    plan.files[MANIFEST] = ((json.dumps(manifest, indent=1) + "\n").encode(), 0o644)
    return plan


def _avahi_host_name(plan: Plan, root: Path) -> None:
    """avahi answers as cepourmoi.local; its configuration as it was is kept for uninstall."""
    conf, original = _below(root, AVAHI_CONF), _below(root, AVAHI_ORIGINAL)
    if not conf.is_file():
        return
    before = original.read_bytes() if original.is_file() else conf.read_bytes()
    plan.files[AVAHI_ORIGINAL] = (before, 0o644)
    plan.files[AVAHI_CONF] = (with_host_name(before.decode()).encode(), 0o644)


def _read_manifest(root: Path) -> dict:
    """What an earlier install wrote, or {}."""
    try:
        return json.loads(_below(root, MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def uninstall_plan(root: Path) -> Plan:
    """Stop and remove what install wrote (from its manifest); the instance folder and its data stay."""
    plan = Plan()
    known = [SYSTEMD / name for name in UNITS] + [NGINX / "sites-available" / SITE, AVAHI_SERVICE, CHRONY_CONF]
    manifest = _read_manifest(root) or {"files": [str(p) for p in known], "links": [str(NGINX / "sites-enabled" / SITE)]}
    plan.commands.append(["systemctl", "disable", "--now", SERVICE, UNITS[2]])
    plan.removals += [Path(p) for p in manifest["links"] + manifest["files"]] + [STATE]
    original = _below(root, AVAHI_ORIGINAL)
    if original.is_file():
        plan.files[AVAHI_CONF] = (original.read_bytes(), 0o644)
        plan.commands.append(["systemctl", "reload-or-restart", "avahi-daemon"])
    if manifest.get("default_site"):
        plan.links[DEFAULT_SITE] = manifest["default_site"]
    plan.commands += [["systemctl", "daemon-reload"], ["systemctl", "reload-or-restart", "nginx"]]
    plan.notes.append("les données (dossier instance) et l'utilisateur du service sont gardés")
    return plan


def _below(root: Path, path: Path) -> Path:
    return root / path.relative_to("/")


def apply(plan: Plan, root: Path, run_commands: bool) -> None:
    """Write, link and remove below root; run the commands only on the box itself (root "/")."""
    for path in plan.removals:
        target = _below(root, path)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.is_symlink() or target.exists():
            target.unlink()
    for path, (data, mode) in plan.files.items():
        target = _below(root, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        temporary.chmod(mode)
        os.replace(temporary, target)
    for link, destination in plan.links.items():
        target = _below(root, link)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.exists():
            target.unlink()
        target.symlink_to(destination)
    if not run_commands:
        return
    for command in plan.commands:
        if command[0] == "nginx" and shutil.which("nginx") is None:
            continue
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0 and not (command[:2] == ["systemctl", "disable"]):
            message = (result.stderr or result.stdout).strip().splitlines()
            raise InstallError(f"« {' '.join(command)} » a échoué : {message[-1] if message else result.returncode}")
