"""The production WSGI server: gunicorn, threaded workers that read each request whole before a
thread serves it (kiosk.platform.http_worker), optional HTTPS."""

import gc

import click
from gunicorn.app.base import BaseApplication

from kiosk.platform.timezone import utcnow

def freeze_long_lived_objects() -> None:
    """Move what the process has built so far (modules, the app, its catalogues) out of the
    garbage collector's sight: they live as long as the process (the master before it forks its
    workers, each worker once its app is built).

    Otherwise each full collection walks them all, and stops every thread of the worker while it
    does: 35 to 50 ms, measured under load. After this, a full collection walks only what
    requests have made since, and takes under a millisecond.
    """
    gc.collect()
    gc.freeze()


class KioskServer(BaseApplication):
    """gunicorn run from our own CLI, each worker building its own app (no pre-fork database handles)."""

    def __init__(self, options: dict, app_config: dict | None = None):
        self.options = options
        self.app_config = app_config or {}  # what the master knows of how it serves (BOX_*)
        self.started_at = utcnow()  # the workers' retention runs once after this moment
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from kiosk import create_app
        from kiosk.messages.scheduler import start_messages
        from kiosk.privacy.scheduler import start_scheduler

        app = create_app({"DATABASE_POOL_SIZE": max(10, self.options["threads"] + 2), "SERVER_WORKER": True,
                          **self.app_config})
        if str(self.options.get("bind", "")).startswith("unix:"):
            # Behind the box's nginx: the client's address and scheme come from its headers (the
            # login limits count per address; session cookies are Secure over HTTPS).
            from werkzeug.middleware.proxy_fix import ProxyFix

            app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
        start_scheduler(app, self.started_at)
        start_messages(app)
        freeze_long_lived_objects()
        return app


def print_banner(app, host: str, port: int, https: bool) -> None:
    """Tell the person who started the box where each screen is, the demo logins, and how the first
    devices get in: a one-time enrolment link for a kiosk and a tablet while none is in service."""
    from kiosk.demo import demo_logins
    from kiosk.devices.first import first_device_links
    from kiosk.devices.links import box_links
    from kiosk.platform.unit_of_work import unit_of_work

    scheme = "https" if https else "http"
    with app.app_context():
        bases = box_links(scheme, port, host).urls
        if host in ("0.0.0.0", "::") or not bases:  # on the box itself too
            bases = bases + [f"{scheme}://localhost:{port}"]
        logins = demo_logins()
        with unit_of_work():
            first = first_device_links(box_links(scheme, port, host))
    click.echo("CéPourMoi est prêt. Ouvrez dans un navigateur :")
    for base in bases:
        click.echo(f"  Borne d'accueil (kiosque) : {base}/kiosk")
        click.echo(f"  Tablette de l'épicerie    : {base}/tablet")
        click.echo(f"  Tableau de bord           : {base}/dashboard")
        click.echo(f"  Accueil sans carte        : {base}/accueil")
    if https:
        click.echo(f"Les tablettes font confiance une fois à l'autorité de la boîte : {bases[0]}/ca.crt")
    if logins:
        click.echo("Comptes de démonstration (identifiant / mot de passe) :")
        for role, username, password in logins:
            click.echo(f"  {role:<12} {username} / {password}")
        click.echo("Attention : ces mots de passe sont publics. Avant d'accueillir de vraies personnes,")
        click.echo("changez-les (page « Comptes et appareils », ou : .venv/bin/kiosk user password NOM --password ...).")
    if first:
        click.echo("Premiers appareils : ouvrez ce lien une seule fois sur l'appareil (il marche une fois) :")
        for name, link in first:
            click.echo(f"  {name:<26}: {link}")
    click.echo(f"Autres appareils : page « Comptes et appareils » ({bases[0]}/comptes/, lien et code QR),")
    click.echo("  ou : .venv/bin/kiosk device add NOM --kind kiosk|tablet")


def serve(app, host, port, workers, threads, certfile=None, keyfile=None, unix=None) -> None:
    """Run gunicorn in the foreground, once the database has passed its quick check; on a Unix
    socket (`unix`) when the box's nginx is in front."""
    from kiosk.backup.commands import check_before_serving
    from kiosk.platform.http_worker import KioskWorker

    check_before_serving()
    if unix:
        click.echo(f"CéPourMoi est prêt sur le socket {unix} (derrière nginx).")
        bind = f"unix:{unix}"
    else:
        print_banner(app, host, port, https=bool(certfile))
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    # Read in the master before the fork: every worker inherits them.
    KioskWorker.head_seconds = float(app.config["SERVER_HEAD_SECONDS"])
    KioskWorker.request_seconds = float(app.config["SERVER_REQUEST_SECONDS"])
    app_config = {"BOX_SCHEME": "https" if certfile else "http", "BOX_PORT": port, "BOX_BIND_HOST": host}
    if unix:
        app_config = {}  # nginx in front: HTTPS on 443, the defaults
    options = {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "kiosk.platform.http_worker.KioskWorker",
        # Connections held at once per worker (slow ones hold no thread, only their bytes so far).
        "worker_connections": 256,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "forwarded_allow_ips": "127.0.0.1",
    }
    if certfile:
        options.update(certfile=certfile, keyfile=keyfile)
    # The workers are forked from this process: what it has loaded (modules, the CLI's app) stays
    # shared with them as long as nobody writes to its pages. A full collection in a worker would
    # write to every object it walks, copying those pages one by one: frozen, they are never
    # walked (Python's gc.freeze documentation, "before fork"). Measured (kiosk serve, one worker,
    # idle then 90 requests): the server's PSS went from 133 to 110 MB.
    freeze_long_lived_objects()
    KioskServer(options, app_config).run()
