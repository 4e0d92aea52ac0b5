"""CLI command of the serve stage: ``sme-assistant serve`` (index first, then the web chat)."""

from __future__ import annotations

import logging

import click

from core import Settings, get_settings

__all__ = ["APP_FACTORY", "COMMANDS", "prepare_index", "serve_command"]

# What each worker process imports to build its app (uvicorn's factory mode).
APP_FACTORY = "api.app:create_app"

log = logging.getLogger(__name__)


def prepare_index(settings: Settings) -> None:
    """Ingest and index when needed; both stages return at once when they are up to date."""
    # Imported here: the index stage pulls in chromadb and the embedder, which
    # `sme-assistant --help` should not pay for.
    import index  # noqa: PLC0415
    import ingest  # noqa: PLC0415

    corpus = ingest.load_corpus(settings)
    stats = index.build_index(settings, corpus, progress=True)
    log.info("index ready: %s", stats)


def _browser_host(host: str) -> str:
    return {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-index", is_flag=True, help="Do not build the index before serving.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Server processes; each loads the index once and they share the data folder "
    "(the SQLite conversation store included). 2 uses both cores of a 2-core machine.",
)
def serve_command(host: str, port: int, no_index: bool, workers: int) -> None:
    """Webチャットを起動 / Build the index if needed, then serve the API and the web chat."""
    import uvicorn  # noqa: PLC0415

    from api.app import create_app  # noqa: PLC0415

    settings = get_settings()
    if not no_index:
        click.echo("検索インデックスを確認しています… / checking the search index…")
        prepare_index(settings)
    url = f"http://{_browser_host(host)}:{port}/"
    click.echo(f"ブラウザで {url} を開いてください / open {url} in a browser")
    click.echo(f"API docs: {url}docs   (Ctrl+C で終了 / to stop)")
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    # Each worker process builds its own app from the same SME_* environment; the index was
    # built above, once, so the workers only open it.
    click.echo(f"{workers} 個のワーカーで起動します / starting {workers} worker processes")
    uvicorn.run(APP_FACTORY, factory=True, workers=workers, host=host, port=port, log_level="info")


COMMANDS: list[click.Command] = [serve_command]
