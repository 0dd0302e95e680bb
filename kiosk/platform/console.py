"""What a `kiosk` command prints and how it refuses: one plain line, and JSON last lines for scripts."""

import json

import click


class CommandError(click.ClickException):
    """A refusal the person at the keyboard can act on."""


def emit_json(payload: dict) -> None:
    """Print the JSON last line that CONTRACT.md promises to scripts."""
    click.echo(json.dumps(payload, ensure_ascii=False))
