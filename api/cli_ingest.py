"""CLI commands of the ingest stage (filled in by that stage's issue)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
