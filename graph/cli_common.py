"""What the CLI command modules share (only click is imported at module level)."""
from __future__ import annotations

from pathlib import Path

import click

DEFAULT_OUT = "policykg-out"


def store_option(f):
    """``--store DIR``: the build directory (or its store/ folder) to read."""
    return click.option("--store", "store_dir", default=DEFAULT_OUT, show_default=True,
                        type=click.Path(path_type=Path),
                        help="The build directory (or its store/ folder) written by `policykg build`.")(f)


def open_store_or_fail(store_dir):
    """Open the store read-only, or stop with a message a researcher understands."""
    from policykg.graph.store import open_store

    try:
        return open_store(store_dir)
    except (FileNotFoundError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
