"""CéPourMoi: the centre's box. `create_app` is the application factory."""

import os
from pathlib import Path

from kiosk.platform.unit_of_work import App

PACKAGE_DIR = Path(__file__).resolve().parent


def _asset_folder(name: str) -> str:
    """templates/ or static/: inside the package in a wheel, beside it in a source checkout."""
    inside = PACKAGE_DIR / name
    return str(inside if inside.is_dir() else PACKAGE_DIR.parent / name)


def create_app(test_config=None) -> App:
    """Build the app: configuration, extensions, blueprints, commands."""
    app = App(
        __name__,
        instance_path=os.environ.get("KIOSK_INSTANCE_PATH") or str(PACKAGE_DIR.parent / "instance"),
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
        instance_relative_config=True,
    )
    os.makedirs(app.instance_path, exist_ok=True)
    from kiosk.platform.routing import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter

    from kiosk.platform.config import configure

    configure(app, test_config)

    from kiosk import navigation
    from kiosk.platform import errors, i18n, security, unit_of_work
    from kiosk.auth import access
    from kiosk.sites import scope as sites_scope
    from kiosk.epicerie import month_figures
    from kiosk.platform.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True)
    unit_of_work.init_app(app)  # before the guard: the request's transaction opens first
    csrf.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    access.init_app(app)
    sites_scope.init_app(app)  # after the guard: it knows who asks
    month_figures.init_app(app)  # the baskets' stored figures follow every flush
    errors.init_app(app)
    navigation.init_app(app)
    security.init_app(app)

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            from kiosk.platform.database import configure_sqlite

            app.extensions["wal_checkpointer"] = configure_sqlite(
                db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"],
                app.config["SQLITE_CHECKPOINT_SECONDS"] if app.config["SERVER_WORKER"] else 0,
            )

    from kiosk.admin.views import bp as admin_bp
    from kiosk.auth.views import bp as auth_bp
    from kiosk.centre.views import bp as centre_bp
    from kiosk.checkin.views import bp as checkin_bp
    from kiosk.dashboard.views import bp as dashboard_bp
    from kiosk.devices.views import bp as devices_bp
    from kiosk.epicerie.views import bp as epicerie_bp
    from kiosk.home.views import bp as home_bp
    from kiosk.cards.views import bp as cards_bp
    from kiosk.imports.views import bp as imports_bp
    from kiosk.people.views import bp as people_bp
    from kiosk.outcomes.views import bp as outcomes_bp
    from kiosk.privacy.views import bp as privacy_bp
    from kiosk.reports.views import bp as reports_bp
    from kiosk.programme.views import bp as programme_bp
    from kiosk.messages.views import bp as messages_bp
    from kiosk.stock.views import bp as stock_bp
    from kiosk.sites.views import bp as sites_bp

    for blueprint in (
        home_bp,
        auth_bp,
        devices_bp,
        people_bp,
        cards_bp,
        messages_bp,
        imports_bp,
        checkin_bp,
        epicerie_bp,
        dashboard_bp,
        admin_bp,
        privacy_bp,
        centre_bp,
        outcomes_bp,
        reports_bp,
        programme_bp,
        stock_bp,
        sites_bp,
    ):
        app.register_blueprint(blueprint)

    from kiosk.box.views import init_app as init_box

    init_box(app)

    from kiosk.cli import register_commands

    register_commands(app)
    return app
