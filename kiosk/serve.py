"""The production WSGI server: gunicorn, threaded workers, optional HTTPS."""

import socket

import click
from gunicorn.app.base import BaseApplication


class KioskServer(BaseApplication):
    """gunicorn run from our own CLI, each worker building its own app (no pre-fork database handles)."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from kiosk import create_app

        return create_app()


def box_addresses() -> list[str]:
    """The addresses this box answers on, for the banner (no traffic is sent)."""
    addresses = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            addresses.add(info[4][0])
    except OSError:
        pass
    addresses.discard("127.0.1.1")
    return sorted(addresses) or ["127.0.0.1"]


def print_banner(app, host: str, port: int, https: bool) -> None:
    """Tell the person who started the box where each screen is, and the demo logins."""
    from kiosk.demo import demo_logins

    scheme = "https" if https else "http"
    hosts = box_addresses() if host in ("0.0.0.0", "::") else [host]
    click.echo("CéPourMoi est prêt. Ouvrez dans un navigateur :")
    for address in hosts + (["localhost"] if host in ("0.0.0.0", "::") else []):
        base = f"{scheme}://{address}:{port}"
        click.echo(f"  Borne d'accueil (kiosque) : {base}/kiosk")
        click.echo(f"  Tablette de l'épicerie    : {base}/tablet")
        click.echo(f"  Tableau de bord           : {base}/dashboard")
        click.echo(f"  Accueil sans carte        : {base}/accueil")
    if https:
        click.echo(f"Les tablettes font confiance une fois à l'autorité de la boîte : {scheme}://{hosts[0]}:{port}/ca.crt")
    with app.app_context():
        logins = demo_logins()
    if logins:
        click.echo("Comptes de démonstration (identifiant / mot de passe) :")
        for role, username, password in logins:
            click.echo(f"  {role:<12} {username} / {password}")
    click.echo("Un appareil s'enrôle avec : .venv/bin/kiosk device add NOM --kind kiosk|tablet")


def serve(app, host, port, workers, threads, certfile=None, keyfile=None) -> None:
    """Run gunicorn in the foreground."""
    print_banner(app, host, port, https=bool(certfile))
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "forwarded_allow_ips": "127.0.0.1",
    }
    if certfile:
        options.update(certfile=certfile, keyfile=keyfile)
    KioskServer(options).run()
