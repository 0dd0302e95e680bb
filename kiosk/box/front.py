"""nginx in front of the box's server: its site, the static files it serves (precompressed), and the
error bodies it answers by itself (JSON under /api/, as the contract says)."""

import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path

from kiosk.box.units import SOCKET, template

SITE = "cepourmoi.conf"
STATIC_COMPRESSED = {".css", ".js", ".mjs", ".svg", ".wasm", ".json", ".txt", ".html", ".map"}
# nginx's own answers, before or without the app (its own errors pass through as they are).
ERRORS = {
    400: "Requête mal formée.",
    408: "La requête a mis trop de temps à arriver ; réessayez.",
    413: "Envoi trop gros pour la boîte.",
    414: "Adresse (URL) trop longue.",
    431: "En-têtes de la requête trop gros.",
    502: "Le serveur de la boîte ne répond pas (il redémarre peut-être) ; réessayez dans un instant.",
    504: "Le serveur de la boîte a mis trop de temps à répondre ; réessayez.",
}
ERROR_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>CéPourMoi</title></head>
<body style="font-family: sans-serif; font-size: 1.5rem; margin: 3rem;"><h1>CéPourMoi</h1><p>{message}</p>
<p><a href="/">Retour à l'accueil</a></p></body></html>
"""


@dataclass(frozen=True)
class FrontSettings:
    """Where nginx listens, what it reads, and where the app's socket is."""

    certificate: Path
    certificate_key: Path
    static: Path  # nginx's copy of the static files, with their .gz
    errors: Path  # the error bodies
    http_listen: str = "80"
    https_listen: str = "443"
    https_port: int = 443
    socket: str = SOCKET
    max_body_bytes: int = 8 * 1024 * 1024


def fill(text: str, values: dict) -> str:
    """Put values into an @name@ template (nginx's own $variables stay as they are)."""
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    if "@" in "".join(line.split("#")[0] for line in text.splitlines()):
        raise ValueError("a placeholder was left unfilled in the nginx site")
    return text


def render_site(settings: FrontSettings) -> str:
    """The nginx site: HTTP redirected to HTTPS, static files, the app behind its socket."""
    return fill(template("nginx-site.conf").template, {
        "socket": settings.socket,
        "http_listen": settings.http_listen,
        "https_listen": settings.https_listen,
        "https_port_suffix": "" if settings.https_port == 443 else f":{settings.https_port}",
        "certificate": settings.certificate,
        "certificate_key": settings.certificate_key,
        "max_body": f"{settings.max_body_bytes // 1024}k",
        "errors": settings.errors,
        "static": settings.static,
    })


def error_files() -> dict[str, bytes]:
    """The bodies nginx answers with: NNN.json ({"error": str}) and NNN.html for each code."""
    files = {}
    for code, message in ERRORS.items():
        files[f"{code}.json"] = (json.dumps({"error": message}, ensure_ascii=False) + "\n").encode()
        files[f"{code}.html"] = ERROR_PAGE.format(message=message).encode()
    return files


def static_files(source: Path) -> dict[str, bytes]:
    """The app's static files by relative path, each compressible one with its .gz beside it
    (nginx's gzip_static sends it as it is: compressed once, at install, at the best level)."""
    files = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.suffix == ".gz":
            continue
        relative, data = str(path.relative_to(source)), path.read_bytes()
        files[relative] = data
        if path.suffix in STATIC_COMPRESSED:
            packed = gzip.compress(data, compresslevel=9, mtime=0)
            if len(packed) < len(data):
                files[relative + ".gz"] = packed
    return files


def write_tree(folder: Path, files: dict[str, bytes]) -> None:
    """Write files (relative path → bytes) below folder, readable by nginx's workers."""
    for relative, data in files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
        target.write_bytes(data)
        target.chmod(0o644)


def standalone_config(site: str, prefix: Path) -> str:
    """A whole nginx.conf around the site, for nginx run by hand (tests, bench): in the foreground,
    everything it writes below prefix."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # its workers then read the test's own folders
    return f"""{user}daemon off;
master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
{site}
}}
"""


def start_throwaway_front(folder: Path, static_source: Path, socket_path: str, instance: Path,
                          https_port: int, http_port: int):
    """nginx as the box runs it, but in the foreground, on loopback ports, with everything below folder
    (the tests and the bench put it in front of a real `kiosk serve --unix`). Returns its process."""
    import subprocess

    from kiosk.platform.tls import ensure_box_certificate

    certificate, key = ensure_box_certificate(str(instance))
    prefix = folder / "nginx"
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    write_tree(folder / "static", static_files(static_source))
    write_tree(folder / "errors", error_files())
    settings = FrontSettings(certificate=certificate, certificate_key=key, static=folder / "static",
                             errors=folder / "errors", http_listen=f"127.0.0.1:{http_port}",
                             https_listen=f"127.0.0.1:{https_port}", https_port=https_port, socket=socket_path)
    config = prefix / "nginx.conf"
    config.write_text(standalone_config(render_site(settings), prefix))
    with open(prefix / "stderr.log", "wb") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(["nginx", "-p", str(prefix), "-c", str(config)], stdout=subprocess.DEVNULL,
                                stderr=log, start_new_session=True)
