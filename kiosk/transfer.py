"""Moving a centre's data from its SQLite box to a PostgreSQL server (or any empty database).

The target is migrated to the same schema first; rows are copied table by table in foreign-key
order in one transaction; sequences are moved past the copied ids; then every table is counted on
both sides, and any difference undoes nothing silently: it is reported and the command fails.
"""

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from kiosk.models.figures import KEPT_BY_TRIGGERS
from kiosk.platform.extensions import db
from kiosk.platform.timezone import utcnow

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


# Tables whose default rows the migrations insert (the first site, the built-in milestone kinds).
SEEDED_BY_MIGRATIONS = ("site", "milestone_kind")


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
                if table.name in KEPT_BY_TRIGGERS:
                    continue  # the target's triggers count the check-ins and baskets as they go in
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


# Into a network's server as a new site (`kiosk transfer --to URL --site NAME`): what is not copied
# (the server's own: sites, its own values, logins' attempts and sessions; the box's logo is copied
# apart, as the new site's: `_copy_logo`), and what is shared by the network and matched by name
# (referrers, kinds of milestones). The box's settings (its name, address, workshop, gateway,
# ladder...) become the new site's.
NOT_MOVED = ("site", "server_setting", "centre_logo", "login_attempt", "user_session", "user_site",
             *KEPT_BY_TRIGGERS)
MATCHED = {"referrer": "name", "milestone_kind": "code"}


def transfer_site(url: str, site_name: str) -> dict[str, int]:
    """Copy this box's data into the network's database at `url` as a new site named `site_name`:
    every row gets the new site and new ids (references follow); each table is then counted on both
    sides (the new site's rows in the target). Returns the counts by table."""
    from kiosk.sites.services import clean_name

    site_table = db.metadata.tables["site"]
    source = db.engine
    target = target_engine(url)
    try:
        site_name = clean_name(site_name)
        migrate_target(url)
        with source.connect() as reading, target.begin() as writing:
            if writing.scalar(select(site_table.c.id).where(func.lower(site_table.c.name) == site_name.lower())):
                raise TransferError(f"le centre « {site_name} » existe déjà sur le serveur")
            _refuse_taken_names(reading, writing)
            site_id = writing.execute(site_table.insert().values(name=site_name, created_at=utcnow())
                                      .returning(site_table.c.id)).scalar_one()
            copied = _copy_as_site(reading, writing, site_id)
            _copy_logo(reading, writing, site_id)
            counted = _count_site(writing, site_id, copied)
        before = {name: n for name, n in count_rows(source).items() if name in counted}
    except SQLAlchemyError as exc:
        raise TransferError(f"transfert impossible : {str(exc).splitlines()[0]}") from exc
    except ValueError as exc:
        raise TransferError(str(exc)) from exc
    finally:
        target.dispose()
    if before != counted:
        differences = {name: (before[name], counted.get(name)) for name in before if before[name] != counted.get(name)}
        raise TransferError(f"les comptes diffèrent après transfert : {differences}")
    return counted


def _copy_logo(reading, writing, site_id: int) -> None:
    """The box's logo (its site 1's, kiosk/centre/services.py) becomes the new site's: a logo's id is its site's."""
    from kiosk.models.sites import FIRST_SITE_ID

    logo = db.metadata.tables["centre_logo"]
    row = reading.execute(select(logo).where(logo.c.id == FIRST_SITE_ID)).first()
    if row is not None:
        writing.execute(logo.delete().where(logo.c.id == site_id))
        writing.execute(logo.insert().values(id=site_id, png=row.png, uploaded_at=row.uploaded_at))


def _refuse_taken_names(reading, writing) -> None:
    """Logins and devices are named across the network: the box's must be free on the server."""
    for table_name, column in (("user", "username"), ("device", "name")):
        table = db.metadata.tables[table_name]
        names = list(reading.scalars(select(table.c[column])))
        taken = [name for name in names
                 if writing.scalar(select(table.c.id).where(table.c[column] == name)) is not None]
        if taken:
            what = "identifiants" if table_name == "user" else "appareils"
            raise TransferError(f"{what} déjà pris sur le serveur : {', '.join(sorted(taken)[:10])}")


def _copy_as_site(reading, writing, site_id: int) -> dict[str, int]:
    new_ids: dict[str, dict] = {}
    copied: dict[str, int] = {}
    for table in db.metadata.sorted_tables:
        if table.name in NOT_MOVED:
            continue
        rows = [row._asdict() for row in reading.execute(select(table))]
        if table.name in MATCHED:
            new_ids[table.name] = _match_shared(writing, table, MATCHED[table.name], rows)
            continue
        references = [(column.name, fk.column.table.name) for column in table.c for fk in column.foreign_keys]
        for values in rows:
            for column, referred in references:
                if referred == "site":
                    values[column] = site_id
                elif values[column] is not None:
                    values[column] = new_ids[referred][values[column]]
            if "site_id" in table.c and values.get("site_id") is None and table.name != "user":
                values["site_id"] = site_id
        own_id = "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement is not False \
            and table.c.id.type.python_type is int
        if own_id and rows:
            old = [values.pop("id") for values in rows]
            new_ids[table.name] = {}
            for start in range(0, len(rows), BATCH):
                made = writing.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True),
                                       rows[start:start + BATCH]).scalars().all()
                new_ids[table.name].update(zip(old[start:start + BATCH], made))
        elif rows:
            writing.execute(table.insert(), rows)
        new_ids.setdefault(table.name, {})
        copied[table.name] = len(rows)
    return copied


def _match_shared(writing, table, key: str, rows: list[dict]) -> dict:
    """The target's row of the same name (or code) for each source row, made when missing."""
    ids = {}
    for values in rows:
        found = writing.scalar(select(table.c.id).where(table.c[key] == values[key]))
        if found is None:
            found = writing.execute(table.insert().returning(table.c.id),
                                    {k: v for k, v in values.items() if k != "id"}).scalar_one()
        ids[values["id"]] = found
    return ids


def _count_site(writing, site_id: int, copied: dict[str, int]) -> dict[str, int]:
    """The new site's rows in each copied table of the target (a table without a site: its rows
    that reference the site's rows, counted through the reference)."""
    counts = {}
    for name in copied:
        table = db.metadata.tables[name]
        if "site_id" in table.c:
            counts[name] = writing.scalar(select(func.count()).select_from(table).where(table.c.site_id == site_id))
        else:  # server_pin: by its user
            users = db.metadata.tables["user"]
            column = next(c for c in table.c if any(fk.column.table is users for fk in c.foreign_keys))
            counts[name] = writing.scalar(select(func.count()).select_from(table).join(
                users, users.c.id == column).where(users.c.site_id == site_id))
    return counts
