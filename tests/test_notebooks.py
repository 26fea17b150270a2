"""The teaching notebooks run from top to bottom without an error, and are saved clean.

Each is executed with nbclient in a kernel of the current environment (ipykernel is in the
``test`` extra), in a temporary working folder so that nothing is written into the checkout.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_the_teaching_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == [
        "01_quickstart",
        "02_differential_diagnosis",
        "03_inside_the_network",
        "04_what_if",
        "05_reasoning",
        "06_numbers_and_uncertainty",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_saved_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_without_error(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError naming the cell on any error
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    # every code cell ran, in order (none skipped by a tag or metadata)
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))
    # and none printed to stderr: no warning, no progress bar, no stray traceback text
    stderr = [
        (cell.source[:60], output.get("text", ""))
        for cell in code
        for output in cell.outputs
        if output.output_type == "stream" and output.get("name") == "stderr"
    ]
    assert stderr == []
    assert list(tmp_path.iterdir()) == []
