"""spelab.run_study, spelab.analyze and spelab.simulate: the same numbers as the CLI."""

import io
import json

import numpy as np
import pandas as pd
import pytest

import spelab
from conftest import DATA, REPO, spelab_cli


def test_simulate_symmetric_is_the_cli_record():
    args = dict(material="pvh", protocol="constant", current="1 mA/cm2", duration="1 h",
                sample_interval="5 s")
    df = spelab.simulate.symmetric(**args)
    cli = spelab_cli("simulate", "symmetric", "--material", "pvh", "--protocol", "constant", "--current",
                     "1 mA/cm2", "--duration", "1 h", "--sample-interval", "5 s", "--to", "csv").stdout
    expected = pd.read_csv(io.StringIO(cli))
    assert df.columns.tolist() == expected.columns.tolist()
    np.testing.assert_array_equal(df.to_numpy(dtype=float), expected.to_numpy(dtype=float))
    # PVH at 10 A/m2 depletes after 344.7 s (the CLI test's oracle).
    assert df.attrs["summary"]["stop"]["reason"] == "depletion"
    assert df.attrs["summary"]["duration_s"] == pytest.approx(344.7, abs=0.05)
    with pytest.raises(spelab.SpelabError, match="current '5 mV'"):
        spelab.simulate.symmetric(current="5 mV")


def test_simulate_full_cell_is_the_cli_record():
    df = spelab.simulate.full_cell(c_rates="1", cycles=1, model="spm")
    cli = spelab_cli("simulate", "full-cell", "--c-rates", "1", "--cycles", "1", "--model", "spm", "--to",
                     "csv").stdout
    expected = pd.read_csv(io.StringIO(cli))
    np.testing.assert_array_equal(df.to_numpy(dtype=float), expected.to_numpy(dtype=float))
    assert df.attrs["summary"]["cycles"][0]["discharge_mah_g"] > 0
    # The summary is the CLI's --json summary.
    summary = spelab_cli("--json", "simulate", "full-cell", "--c-rates", "1", "--cycles", "1", "--model", "spm")
    assert df.attrs["summary"] == json.loads(summary.stdout)


def test_analyze_returns_the_metric_records(tmp_path):
    f = np.logspace(6, -1, 50)
    z = spelab.eis.CustomCircuit("R0-p(R1,C1)-C2", initial_guess=[1.0, 50.0, 1e-9, 1e-5]).predict(
        f, use_initial=True)
    path = tmp_path / "eis.csv"
    np.savetxt(path, np.column_stack([f, z.real, z.imag]), delimiter=",",
               header="frequency [Hz],z_real [Ohm],z_imag [Ohm]", comments="")
    files = [{"file": str(path), "temperature": "25 degC"}]
    metrics = spelab.analyze.eis_conductivity(files=files, thickness="100 um", area="2.01 cm2")
    sigma = [m for m in metrics if m["id"] == "ionic_conductivity"][0]
    assert sigma["unit"] == "S/m"
    assert sigma["value"] == pytest.approx(100e-6 / (50.0 * 2.01e-4), rel=0.02)
    with pytest.raises(spelab.SpelabError, match="temprature|unknown field"):
        spelab.analyze.eis_conductivity(files=files, thickness="100 um", area="2.01 cm2", temprature="1")


def test_run_study_returns_metrics_json(tmp_path):
    study = tmp_path / "s.toml"
    study.write_text('[study]\nname = "py"\n\n[[material]]\nid = "pvh-im"\npreset = "pvh-im"\n\n'
                     '[[step]]\nkind = "arrhenius"\ntemperatures = ["20 degC", "40 degC", "60 degC"]\n')
    doc = spelab.run_study(study, out=tmp_path / "run")
    assert doc == json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert doc["study"] == "py" and any(m["id"] == "activation_energy" for m in doc["metrics"])
    with pytest.raises(spelab.SpelabError) as e:
        spelab.run_study(REPO / "no-such-study.toml")
    assert e.value.kind in ("study", "file")
