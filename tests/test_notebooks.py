"""The notebooks in notebooks/ run top to bottom from a clean kernel and are committed without outputs.

Each notebook asserts facts about the seeds (e.g. the top lead agency), so a notebook that
runs but computes nonsense fails here too. Kernels use the interpreter running pytest (the
venv): if the ``python3`` kernel spec points elsewhere, a private spec for this interpreter
is put first on ``JUPYTER_PATH`` for the duration of the tests (nothing is installed).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL = "python3"
TIMEOUT = 600  # seconds per cell


def _ids(paths):
    return [p.stem for p in paths]


def _runs_this_interpreter(argv0: str) -> bool:
    # jupyter_client itself replaces a bare "python"/"python3"/"python3.X" with sys.executable
    major, minor = sys.version_info[:2]
    if argv0 in ("python", f"python{major}", f"python{major}.{minor}"):
        return True
    found = shutil.which(argv0) or argv0
    # same bin/ folder, i.e. the same venv (do not resolve symlinks: a venv's python links to the system one)
    return Path(os.path.abspath(found)).parent == Path(os.path.abspath(sys.executable)).parent


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """The kernel name to use, after making sure it starts this interpreter."""
    try:
        ok = _runs_this_interpreter(KernelSpecManager().get_kernel_spec(KERNEL).argv[0])
    except NoSuchKernel:
        ok = False
    if ok:
        yield KERNEL
        return
    prefix = tmp_path_factory.mktemp("jupyter-prefix")
    subprocess.run([sys.executable, "-m", "ipykernel", "install", "--prefix", str(prefix), "--name", KERNEL],
                   check=True, capture_output=True)
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(prefix / "share" / "jupyter"),
                                                             os.environ.get("JUPYTER_PATH")])))
    try:
        assert _runs_this_interpreter(KernelSpecManager().get_kernel_spec(KERNEL).argv[0])
        yield KERNEL
    finally:
        mp.undo()


def _execute(path: Path, kernel: str, workdir: Path, monkeypatch, **env) -> tuple[nbformat.NotebookNode, float]:
    """Run a notebook in a fresh kernel whose cwd and TMPDIR are inside ``workdir``."""
    tmp = workdir / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("TMPDIR", str(tmp))  # the notebooks' tempfile.mkdtemp() folders land here
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name=kernel, allow_errors=False,
                            resources={"metadata": {"path": str(workdir)}})
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError (with the cell and traceback) on the first failing cell
    return nb, time.perf_counter() - start


def _outputs_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif "data" in out:
                parts.append(str(out["data"].get("text/plain", "")))
    return "\n".join(parts)


def test_the_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "01-quick-start.ipynb",
        "02-coordination-analysis.ipynb",
        "03-briefing-views.ipynb",
        "04-bring-your-own-documents.ipynb",
        "05-instruments-successions-agreement.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == KERNEL
    for i, cell in enumerate(nb.cells):
        assert "execution" not in cell.metadata, f"{path.name} cell {i} keeps execution timings"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has outputs: clear them before committing"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_runs(path, kernel, tmp_path, monkeypatch, record_property):
    before = sorted(p.name for p in NOTEBOOK_DIR.iterdir())
    nb, seconds = _execute(path, kernel, tmp_path, monkeypatch)
    record_property("seconds", round(seconds, 1))
    print(f"{path.name}: {seconds:.1f} s")
    assert any(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")
    # the notebooks write only to temporary folders, never next to themselves
    assert sorted(p.name for p in NOTEBOOK_DIR.iterdir()) == before


def test_plots_fall_back_without_a_cjk_font(kernel, tmp_path, monkeypatch):
    """With no usable CJK font the analysis notebook still runs, labelling agencies with ASCII ids."""
    path = NOTEBOOK_DIR / "02-coordination-analysis.ipynb"
    nb, seconds = _execute(path, kernel, tmp_path, monkeypatch, POLICYKG_NOTEBOOK_FONT="none")
    print(f"{path.name} (no CJK font): {seconds:.1f} s")
    text = _outputs_text(nb)
    assert "no CJK font found" in text
    assert "A01" in text and "重庆市渝中区市场监督管理局" in text  # the id → name table under the plots
