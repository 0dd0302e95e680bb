"""`kiosk box install` / `uninstall`: the units systemd accepts, the dry run, and a real install into
a temporary root (nothing outside it is touched, no command is run)."""

import json
import subprocess
from pathlib import Path

import pytest

UNITS = ("cepourmoi.service", "cepourmoi-backup.service", "cepourmoi-backup.timer")
AVAHI_CONF = "[server]\n#host-name=foo\nuse-ipv4=yes\n\n[wide-area]\nenable-wide-area=yes\n"


@pytest.fixture
def box_root(tmp_path) -> Path:
    """A root folder shaped like a Debian box with nginx (its default site on), avahi and chrony."""
    root = tmp_path / "root"
    (root / "etc/nginx/sites-enabled").mkdir(parents=True)
    (root / "etc/nginx/sites-enabled/default").symlink_to("/etc/nginx/sites-available/default")
    (root / "etc/avahi").mkdir()
    (root / "etc/avahi/avahi-daemon.conf").write_text(AVAHI_CONF)
    (root / "etc/chrony/conf.d").mkdir(parents=True)
    return root


def every_file(root: Path) -> dict[str, bytes | str]:
    return {str(p.relative_to(root)): (str(p.readlink()) if p.is_symlink() else p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file() or p.is_symlink()}


def test_units_pass_systemd_analyze_verify(kiosk, box_root, tmp_path):
    """Does systemd itself accept the three generated units without a single warning?"""
    result = kiosk("box", "install", "--root", box_root)
    assert result.returncode == 0, result.stderr
    units = box_root / "etc/systemd/system"
    verify = subprocess.run(["systemd-analyze", "verify", *(str(units / name) for name in UNITS)],
                            capture_output=True, text=True, cwd=units)
    assert verify.returncode == 0 and verify.stderr.strip() == "", verify.stderr
    wrong = tmp_path / "cepourmoi.service"
    wrong.write_text((units / UNITS[0]).read_text().replace("ProtectSystem=strict", "ProtectSystem=sometimes"))
    assert "sometimes" in subprocess.run(["systemd-analyze", "verify", str(wrong)], capture_output=True,
                                         text=True).stderr  # the check above can fail


def test_server_unit_is_hardened_and_restarts(kiosk, box_root, tmp_path):
    """Does the server restart always, as its own user, in a read-only system with only the instance
    folder writable, and with CAP_SYS_TIME only when the clock setting is on?"""
    kiosk("box", "install", "--root", box_root)
    unit = (box_root / "etc/systemd/system/cepourmoi.service").read_text()
    instance = (tmp_path / "instance").resolve()
    for line in ("Restart=always", "User=cepourmoi", "NoNewPrivileges=yes", "ProtectSystem=strict",
                 "PrivateTmp=yes", "ProtectHome=yes", f"ReadWritePaths={instance}",
                 "CapabilityBoundingSet=CAP_SYS_TIME", "Environment=KIOSK_CLOCK_SET_SYSTEM=1",
                 "ExecStart=" + str(Path(__import__("sys").executable).with_name("kiosk"))
                 + " serve --unix /run/cepourmoi/gunicorn.sock"):
        assert line in unit.splitlines()
    kiosk("box", "install", "--root", box_root, "--no-clock-setting", "--keep", "3")
    unit = (box_root / "etc/systemd/system/cepourmoi.service").read_text().splitlines()
    assert "CapabilityBoundingSet=" in unit and "ProtectClock=yes" in unit
    assert not any("CAP_SYS_TIME" in line or "CLOCK_SET_SYSTEM" in line for line in unit)
    backup = (box_root / "etc/systemd/system/cepourmoi-backup.service").read_text()
    assert "box backup --keep 3" in backup and "-/media -/mnt" in backup
    assert "Persistent=true" in (box_root / "etc/systemd/system/cepourmoi-backup.timer").read_text()


def test_dry_run_prints_every_file_and_command_and_writes_nothing(kiosk, box_root):
    """Does --dry-run list each file, link, removal and command, and leave the root as it was?"""
    before = every_file(box_root)
    result = kiosk("box", "install", "--dry-run", "--root", box_root)
    assert result.returncode == 0, result.stderr
    assert every_file(box_root) == before
    lines = result.stdout.splitlines()
    for path in (*(f"/etc/systemd/system/{u}" for u in UNITS), "/etc/nginx/sites-available/cepourmoi.conf",
                 "/etc/avahi/services/cepourmoi.service", "/etc/avahi/avahi-daemon.conf",
                 "/etc/chrony/conf.d/cepourmoi.conf", "/var/lib/cepourmoi/errors/413.json",
                 "/var/lib/cepourmoi/static/vendor/zxing-wasm/zxing_reader.wasm.gz"):
        assert any(line.startswith(f"écrire    {path} (") for line in lines), path
    assert "lier      /etc/nginx/sites-enabled/cepourmoi.conf -> ../sites-available/cepourmoi.conf" in lines
    assert "supprimer /etc/nginx/sites-enabled/default" in lines
    commands = [line.removeprefix("lancer    ") for line in lines if line.startswith("lancer")]
    assert "systemctl enable cepourmoi.service cepourmoi-backup.timer" in commands
    assert "nginx -t -q" in commands and "systemctl restart chrony" in commands
    assert any(c.endswith("kiosk box certificate") for c in commands)


def test_install_then_uninstall_leaves_the_root_as_it_was(kiosk, box_root, tmp_path):
    """Does uninstall remove all that install wrote, put back nginx's default site and avahi's
    configuration, and keep the data?"""
    before = every_file(box_root)
    assert kiosk("box", "install", "--root", box_root).returncode == 0
    installed = every_file(box_root)
    assert "etc/nginx/sites-enabled/default" not in installed
    assert "host-name=cepourmoi" in installed["etc/avahi/avahi-daemon.conf"].decode().splitlines()
    assert "makestep 1 -1" in installed["etc/chrony/conf.d/cepourmoi.conf"].decode()
    manifest = json.loads(installed["var/lib/cepourmoi/installed.json"])
    assert "/etc/systemd/system/cepourmoi.service" in manifest["files"]
    static = box_root / "var/lib/cepourmoi/static"
    assert (static / "css/kiosk.css.gz").is_file() and (static / "audio/checkin-ok.wav").is_file()
    assert kiosk("box", "install", "--root", box_root).returncode == 0  # again: same result
    assert every_file(box_root) == installed
    data = list((tmp_path / "instance").iterdir())
    result = kiosk("box", "uninstall", "--root", box_root)
    assert result.returncode == 0, result.stderr
    assert every_file(box_root) == before
    assert list((tmp_path / "instance").iterdir()) == data


def test_install_without_nginx_says_so(kiosk, tmp_path):
    """Without nginx on the box, does install stop with one plain line and write nothing?"""
    root = tmp_path / "bare"
    root.mkdir()
    result = kiosk("box", "install", "--root", root)
    assert result.returncode != 0
    assert result.stderr.strip().startswith("Erreur : nginx n'est pas installé")
    assert len(result.stderr.strip().splitlines()) == 1 and list(root.iterdir()) == []
