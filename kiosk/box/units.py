"""The systemd units of the installed box, rendered from the templates in kiosk/box/files/."""

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template

SERVICE = "cepourmoi.service"
BACKUP_SERVICE = "cepourmoi-backup.service"
BACKUP_TIMER = "cepourmoi-backup.timer"
UNITS = (SERVICE, BACKUP_SERVICE, BACKUP_TIMER)
SOCKET = "/run/cepourmoi/gunicorn.sock"
USB_ROOTS = ("/media", "/mnt")


@dataclass(frozen=True)
class BoxSettings:
    """What the installed box is made of: who runs it, where it lives, what it may do."""

    user: str
    kiosk: Path  # the venv's `kiosk` script
    venv: Path
    instance: Path
    static: Path  # the app's static folder (copied for nginx at install)
    clock: bool  # the service may set the system clock (the coordinator's one-tap setting)
    keep: int  # backups kept in each folder
    socket: str = SOCKET


def template(name: str) -> Template:
    """One of the files shipped in kiosk/box/files/."""
    return Template(resources.files("kiosk.box").joinpath("files", name).read_text(encoding="utf-8"))


def _protect_home(settings: BoxSettings) -> str:
    """Home folders hidden, unless the box itself lives in one (then read-only but for the instance)."""
    inside = any(str(p).startswith(("/home/", "/root/")) for p in (settings.venv, settings.instance, settings.kiosk))
    return "read-only" if inside else "yes"


def hardening(settings: BoxSettings, writable: list[str], clock: bool) -> str:
    """The sandbox of a unit: read-only system, one writable folder, no privilege but the clock's."""
    lines = [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        f"ProtectHome={_protect_home(settings)}",
        "ReadWritePaths=" + " ".join(writable),
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectKernelLogs=yes",
        "ProtectControlGroups=yes",
        "ProtectHostname=yes",
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
        "RestrictNamespaces=yes",
        "RestrictRealtime=yes",
        "RestrictSUIDSGID=yes",
        "LockPersonality=yes",
        "SystemCallArchitectures=native",
        "SystemCallFilter=@system-service" + (" @clock" if clock else ""),
    ]
    if clock:
        lines += ["CapabilityBoundingSet=CAP_SYS_TIME", "AmbientCapabilities=CAP_SYS_TIME"]
    else:
        lines += ["CapabilityBoundingSet=", "ProtectClock=yes"]
    return "\n".join(lines)


def render_units(settings: BoxSettings) -> dict[str, str]:
    """The three unit files by name: the server, the backup service and its nightly timer."""
    instance = str(settings.instance)
    common = {"user": settings.user, "instance": instance, "kiosk": str(settings.kiosk),
              "socket": settings.socket, "keep": str(settings.keep)}
    server = template(SERVICE).substitute(
        common,
        clock_environment="Environment=KIOSK_CLOCK_SET_SYSTEM=1" if settings.clock else "",
        hardening=hardening(settings, [instance], settings.clock),
    )
    # A USB key is written wherever it is mounted; a missing folder is skipped ("-").
    usb = [f"-{root}" for root in USB_ROOTS]
    backup = template(BACKUP_SERVICE).substitute(common, hardening=hardening(settings, [instance, *usb], False))
    return {SERVICE: server, BACKUP_SERVICE: backup, BACKUP_TIMER: template(BACKUP_TIMER).substitute(common)}
