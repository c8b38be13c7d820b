"""The `dhvote` command: Flask's click group bound to the app factory.

It carries Flask's own commands (`dhvote run`, `dhvote shell`, `dhvote routes`) plus the
project's. Add a command with `@main.command()` here, or register it on `app.cli` from a
blueprint, which `dhvote` and `flask --app election` then both show.
"""

from __future__ import annotations

from importlib import metadata

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from election import create_app

    return create_app()


main = FlaskGroup(
    name="dhvote",
    create_app=_create_app,
    help="Manage a dhvote installation (secure e-voting for party congresses).",
)


@main.command("version", with_appcontext=False)
def version() -> None:
    """Print the installed dhvote version."""
    try:
        number = metadata.version("dhvote")
    except metadata.PackageNotFoundError:
        from election import __version__ as number
    click.echo(f"dhvote {number}")


if __name__ == "__main__":
    main()
