"""CLI command of the MCP server: ``sme-assistant mcp`` (stdio, for desktop assistants)."""

from __future__ import annotations

import click

from core import get_settings

__all__ = ["COMMANDS", "mcp_command"]


@click.command("mcp")
def mcp_command() -> None:
    """MCP サーバー（stdio）を起動 / Serve ask, search, get_programme and get_article over MCP.

    A desktop assistant (Claude Desktop, VS Code…) starts this command itself and talks to it
    on stdin/stdout; build the index first (`sme-assistant index`) so the first question
    does not wait for it."""
    # Imported here: the SDK and the stages are not for `sme-assistant --help` to pay for.
    from api.mcp_server import create_mcp_server  # noqa: PLC0415

    settings = get_settings()
    # stdout is the protocol's: anything for a person goes to stderr.
    click.echo("MCP サーバーを stdio で起動します / serving MCP on stdio", err=True)
    create_mcp_server(settings).run("stdio")


COMMANDS: list[click.Command] = [mcp_command]
