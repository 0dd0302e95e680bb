"""Moving a centre's data from its SQLite box to a PostgreSQL server (or any empty database).

The target is migrated to the same schema first; rows are copied table by table in foreign-key
order in one transaction; sequences are moved past the copied ids; then every table is counted on
both sides, and any difference undoes nothing silently: it is reported and the command fails.
"""

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from kiosk.platform.extensions import db

BATCH = 5000


class TransferError(RuntimeError):
    """A move that cannot be done or did not give the same counts; the message says why."""


def target_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise TransferError(f"adresse de base invalide : {url}") from exc
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed)
    except (ArgumentError, ImportError) as exc:
        raise TransferError(f"pilote indisponible pour {parsed.drivername} : {exc}") from exc


def migrate_target(url: str) -> None:
    """Bring the target to the latest migration with the same migrations as the box."""
    from flask import current_app

    from kiosk import create_app
    from kiosk.platform.schema import upgrade_schema

    config = {key: current_app.config[key] for key in ("SECRET_KEY", "TIMEZONE")}
    target_app = create_app({**config, "SQLALCHEMY_DATABASE_URI": url})
    with target_app.app_context():
        upgrade_schema()
        db.engine.dispose()


def count_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


# Tables whose default rows the migrations insert (the built-in milestone kinds).
SEEDED_BY_MIGRATIONS = ("milestone_kind",)


def transfer_to(url: str) -> dict[str, int]:
    """Copy every table of the app's database into the (empty) database at `url`; return the counts."""
    source = db.engine
    target = target_engine(url)
    try:
        migrate_target(url)
        if any(n for table, n in count_rows(target).items() if table not in SEEDED_BY_MIGRATIONS):
            raise TransferError("la base cible contient déjà des données : elle doit être vide")
        with source.connect() as reading, target.begin() as writing:
            for name in SEEDED_BY_MIGRATIONS:  # the source's own rows replace the migrations' defaults
                writing.execute(db.metadata.tables[name].delete())
            for table in db.metadata.sorted_tables:
                result = reading.execution_options(stream_results=True).execute(select(table))
                while rows := result.fetchmany(BATCH):
                    writing.execute(table.insert(), [row._asdict() for row in rows])
            if target.dialect.name == "postgresql":
                reset_sequences(writing)
        before, after = count_rows(source), count_rows(target)
    except SQLAlchemyError as exc:
        raise TransferError(f"transfert impossible : {str(exc).splitlines()[0]}") from exc
    finally:
        target.dispose()
    if before != after:
        differences = {name: (before[name], after.get(name)) for name in before if before[name] != after.get(name)}
        raise TransferError(f"les comptes diffèrent après transfert : {differences}")
    return after


def reset_sequences(connection) -> None:
    """Move each integer id sequence past the ids copied in (PostgreSQL)."""
    for table in db.metadata.sorted_tables:
        column = table.c.get("id")
        if column is None or not column.autoincrement or column.type.python_type is not int:
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"
        ))
