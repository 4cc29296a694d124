"""Packaging guards: every code folder is a listed subpackage; the wheel imports outside the repo."""
from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _listed():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    packages = [p.strip() for p in cfg["options"]["packages"].split() if p.strip()]
    mapping = {}
    for line in cfg["options"]["package_dir"].strip().splitlines():
        name, _, folder = line.partition("=")
        mapping[name.strip()] = folder.strip()
    return packages, mapping


def test_every_code_folder_is_a_listed_subpackage():
    packages, mapping = _listed()
    assert set(packages) == set(mapping)
    folders = set()
    for top in ("builders", "graph", "ontology", "policykg"):
        for d in [ROOT / top, *[p for p in (ROOT / top).rglob("*") if p.is_dir()]]:
            if any(d.glob("*.py")) and "__pycache__" not in d.parts:
                folders.add(str(d.relative_to(ROOT)))
    assert folders == {v for k, v in mapping.items() if k != "policykg.seeds"}


def test_wheel_builds_and_imports_outside_the_repo(tmp_path):
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheel_dir), str(ROOT)], check=True, cwd=tmp_path)
    wheel = next(wheel_dir.glob("policykg-*.whl"))
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)], check=True)
    code = ("import policykg.graph.cli, policykg.builders.pipeline as p, policykg.ontology.namespace;"
            "print(p.__file__); print(len(p.bundled_seeds()))")
    env = dict(os.environ, PYTHONPATH=str(site))
    out = subprocess.run([sys.executable, "-c", code], check=True, cwd=tmp_path, env=env, capture_output=True, text=True)
    lines = out.stdout.split()
    assert lines[0].startswith(str(site)) and lines[1] == "5"
