"""The ``sme-assistant`` command line.

Commands live in small modules beside this one (``cli_*.py``), one per pipeline stage.
Packages above the CLI in the import flow (``eval/``) contribute commands through the
``sme_assistant.commands`` entry point group, so nothing here imports them.
Errors from the project's hierarchy become one clear message and an exit code here,
and only here.
"""

from __future__ import annotations

import logging
import sys
from importlib.metadata import entry_points

import click

from core import SmeError

__all__ = ["cli", "main"]

log = logging.getLogger(__name__)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """川崎市 中小企業活性化施策 報告書アシスタント (Kawasaki SME assistant)."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def _register_commands() -> None:
    # Imported here, not at module top, so `sme-assistant --help` stays fast and a broken
    # optional stage cannot stop the others from loading.
    from api import (  # noqa: PLC0415
        cli_assistant,
        cli_feedback,
        cli_index,
        cli_ingest,
        cli_mcp,
        cli_serve,
    )

    for module in (cli_ingest, cli_index, cli_assistant, cli_serve, cli_mcp, cli_feedback):
        for command in module.COMMANDS:
            cli.add_command(command)
    for entry in entry_points(group="sme_assistant.commands"):
        try:
            cli.add_command(entry.load(), name=entry.name)
        except ImportError as exc:  # a plugin whose extras are missing
            log.debug("command %s unavailable: %s", entry.name, exc)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: map project errors to messages and exit codes."""
    _register_commands()
    try:
        cli.main(args=argv, standalone_mode=False)
    except SmeError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)


if __name__ == "__main__":  # `python -m api.cli …`, as well as the console script
    main()
