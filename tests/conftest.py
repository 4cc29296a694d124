"""Shared fixtures: the bundled seeds built once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "gold"


@pytest.fixture(scope="session")
def builder():
    from policykg.builders.pipeline import Builder

    return Builder()


@pytest.fixture(scope="session")
def seed_results(builder):
    """name → DocumentResult for the five seeds."""
    from policykg.builders.pipeline import bundled_seeds

    return {raw.name: builder.build_raw(raw) for raw in bundled_seeds()}


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """A full `policykg build` of the seeds (store, Turtle, N-Quads, view)."""
    from policykg.graph.build import build_corpus

    out = tmp_path_factory.mktemp("seed-build")
    report = build_corpus(None, out)
    return report


@pytest.fixture(scope="session")
def seed_store(seed_build):
    from policykg.graph.store import open_store

    return open_store(seed_build.out_dir)
