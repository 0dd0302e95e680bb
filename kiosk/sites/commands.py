"""`kiosk site add NAME`, and the `--site NAME` option the other commands take (CONTRACT.md, "Sites")."""

import functools

import click

from kiosk.platform.console import CommandError, emit_json
from kiosk.platform.unit_of_work import with_unit_of_work
from kiosk.sites.scope import set_scope

ONE, NETWORK = "one", "network"


@click.group("site")
def site_group():
    """The centres of a network on one server."""


@site_group.command("add")
@click.argument("name")
@with_unit_of_work
def site_add(name):
    """Add a centre; the last line is JSON {"id": int}."""
    from kiosk.sites.services import SiteError, add_site

    try:
        site = add_site(name)
    except SiteError as exc:
        raise CommandError(str(exc)) from exc
    click.echo(f"Centre « {site.name} » ajouté.")
    emit_json({"id": site.id})


@site_group.command("network-name")
@click.argument("name")
@with_unit_of_work
def site_network_name(name):
    """Name the network (on its summed documents: "NAME — réseau de N centres"); "" takes the name off.
    The last line is JSON {"name": str}."""
    from kiosk.centre.services import NETWORK_NAME_MAX, network_name, set_network_name

    try:
        set_network_name(name)
    except ValueError as exc:
        raise CommandError(f"nom de réseau invalide (au plus {NETWORK_NAME_MAX} caractères visibles)") from exc
    name = network_name()
    click.echo(f"Réseau nommé « {name} »." if name else "Le réseau n'a plus de nom.")
    emit_json({"name": name})


def resolve_sites(names: tuple[str, ...], when_left_out: str = ONE) -> list[int] | None:
    """The ids of the sites named by --site, scoping the command to them (the first one gets new rows).

    Left out: the only site while there is one; with several, every site (None) for a command that
    serves the network (`when_left_out=NETWORK`), a one-line refusal for the others.
    """
    from kiosk.sites.services import SiteError, all_sites, find_site

    if names:
        try:
            ids = list(dict.fromkeys(find_site(name).id for name in names))
        except SiteError as exc:
            raise CommandError(str(exc)) from exc
        set_scope(tuple(ids), ids[0])
        return ids
    sites = all_sites()
    if len(sites) == 1:
        set_scope((sites[0].id,), sites[0].id)
        return [sites[0].id]
    if when_left_out == NETWORK:
        set_scope(None, None)
        return None
    raise CommandError("plusieurs centres sur ce serveur : précisez --site NOM")


def site_option(when_left_out: str = ONE, multiple: bool = False, pass_sites: bool = False):
    """Add `--site NAME` to a command (below its @with_unit_of_work): the command runs scoped to it."""

    def decorate(command):
        @functools.wraps(command)
        def run(*args, site_names=(), **kwargs):
            names = tuple(site_names) if multiple else ((site_names,) if site_names else ())
            ids = resolve_sites(names, when_left_out)
            if pass_sites:
                kwargs["site_ids"] = ids
            return command(*args, **kwargs)

        return click.option("--site", "site_names", multiple=multiple, default=() if multiple else None,
                            metavar="NOM", help="The centre (needed once the server holds several).")(run)

    return decorate


__all__ = ["site_group", "site_option", "resolve_sites", "with_unit_of_work"]
