"""BIF and XMLBIF files: read back by pgmpy and by pyAgrum, the same posteriors."""

from __future__ import annotations

import numpy as np
import pytest

from gluteal_bn.network import quiet, variable_elimination

EVIDENCE = [
    {},
    {"fever": "yes", "local_redness_swelling": "yes"},
    {"age": "over_60", "claudication": "yes", "radiation": "thigh", "pain_layer": "muscle"},
]


def _pgmpy_read(path, reader_name):
    with quiet():
        from pgmpy import readwrite

        reader = getattr(readwrite, reader_name)(str(path))
        return reader.get_model()


@pytest.mark.parametrize(
    ("method", "reader", "suffix"),
    [("to_bif", "BIFReader", ".bif"), ("to_xmlbif", "XMLBIFReader", ".xml")],
)
def test_pgmpy_reads_back_the_same_posteriors(model, tmp_path, method, reader, suffix):
    path = getattr(model, method)(tmp_path / f"net{suffix}")
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no temporary left
    inference = variable_elimination(_pgmpy_read(path, reader))
    for evidence in EVIDENCE:
        expected = model.posterior(evidence)
        for cause in model.causes:
            with quiet():
                factor = inference.query([cause], evidence=evidence, show_progress=False)
            got = factor.values[list(factor.state_names[cause]).index("yes")]
            assert got == pytest.approx(expected[cause], abs=1e-9)


@pytest.mark.parametrize("method", ["to_bif", "to_xmlbif"])
def test_pyagrum_reads_back_the_same_posteriors(model, tmp_path, method):
    with quiet():  # SWIG's import-time DeprecationWarnings, made errors, crash the import
        import pyagrum as gum

    path = getattr(model, method)(tmp_path / ("net.bif" if method == "to_bif" else "net.bifxml"))
    network = gum.loadBN(str(path))
    for evidence in EVIDENCE:
        inference = gum.LazyPropagation(network)
        inference.setEvidence(dict(evidence))
        inference.makeInference()
        expected = model.posterior(evidence)
        for cause in model.causes:
            posterior = inference.posterior(cause)
            got = posterior[{cause: "yes"}]
            # pyAgrum reads the numbers with less than double precision (differences near 1e-8)
            assert got == pytest.approx(expected[cause], abs=1e-6)


def test_writing_replaces_an_existing_file(model, tmp_path):
    path = tmp_path / "net.bif"
    path.write_text("old")
    model.to_bif(path)
    assert path.read_text().startswith("network")


def test_writing_into_a_missing_folder_is_refused(model, tmp_path):
    with pytest.raises(FileNotFoundError, match=r"cannot write the network to .*: no folder"):
        model.to_bif(tmp_path / "missing" / "net.bif")


def test_writing_onto_a_folder_is_refused(model, tmp_path):
    with pytest.raises(IsADirectoryError, match=r"cannot write the network to .*: it is a folder"):
        model.to_xmlbif(tmp_path)


def test_bif_keeps_every_cpt(model, tmp_path):
    network = _pgmpy_read(model.to_bif(tmp_path / "net.bif"), "BIFReader")
    for name in model.variables:
        cpd = network.get_cpds(name)
        table = model.cpd_table(name).to_numpy().T
        assert np.allclose(cpd.get_values(), table, atol=1e-12)
