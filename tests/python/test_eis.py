"""spelab.eis against impedance.py 1.7.1 (its tutorial spectrum), analytic spectra and the CLI."""

import json
import threading
import time
import warnings

import numpy as np
import pytest

import spelab
from conftest import DATA, spelab_cli

CIRCUIT = "R0-p(R1,C1)-p(R2-Wo1,C2)"
GUESS = [0.01, 0.01, 100, 0.01, 0.05, 100, 1]


def tutorial():
    from impedance import preprocessing

    f, z = preprocessing.readCSV(str(DATA / "impedancepy_exampleData.csv"))
    return preprocessing.ignoreBelowX(f, z)


def chi2(z_model, z):
    return float(np.sum((z_model - z).real ** 2 + (z_model - z).imag ** 2))


def test_custom_circuit_reaches_impedancepy_optimum_on_its_tutorial():
    from impedance.models.circuits import CustomCircuit as ImpyCircuit

    f, z = tutorial()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = ImpyCircuit(CIRCUIT, initial_guess=GUESS).fit(f, z)
    ours = spelab.eis.CustomCircuit(CIRCUIT, initial_guess=GUESS).fit(f, z)
    chi_theirs, chi_ours = chi2(theirs.predict(f), z), chi2(ours.predict(f), z)
    print(f"chi2 impedance.py {chi_theirs:.6e}, spelab {chi_ours:.6e}")
    # Same optimum or a lower chi-square (1e-6 relative: the two optimisers' stopping tolerances).
    assert chi_ours <= chi_theirs * (1 + 1e-6)
    if chi_ours > chi_theirs * (1 - 1e-6):  # the same optimum: the same parameters and errors
        np.testing.assert_allclose(ours.parameters_, theirs.parameters_, rtol=1e-3)
        np.testing.assert_allclose(ours.conf_, theirs.conf_, rtol=0.05)
    names, units = ours.get_param_names()
    assert names == ["R0", "R1", "C1", "R2", "Wo1_0", "Wo1_1", "C2"] == theirs.get_param_names()[0]


def test_notebook_calls_run_unchanged_with_constants():
    from impedance.models.circuits import CustomCircuit as ImpyCircuit

    f, z = tutorial()
    kwargs = dict(initial_guess=[0.01, 100, 0.01, 0.05, 100, 1], constants={"R1": 0.01}, name="tut")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = ImpyCircuit(CIRCUIT, **kwargs).fit(f, z)
    ours = spelab.eis.CustomCircuit(CIRCUIT, **kwargs).fit(f, z)
    assert len(ours.parameters_) == len(theirs.parameters_) == 6
    assert chi2(ours.predict(f), z) <= chi2(theirs.predict(f), z) * (1 + 1e-6)
    assert ours.predict(f, use_initial=True).shape == f.shape
    text = str(ours)
    assert "Circuit string: " + CIRCUIT in text and "Fit: True" in text and "R1 = 1.00e-02" in text
    import matplotlib

    matplotlib.use("Agg")
    assert ours.plot(f_data=f, Z_data=z, kind="nyquist") is not None
    assert len(ours.plot(f_data=f, Z_data=z, kind="bode")) == 2
    with pytest.raises(ValueError, match="circuit length"):
        spelab.eis.CustomCircuit(CIRCUIT, initial_guess=[1, 2])


def test_fit_recovers_an_analytic_spectrum_and_matches_the_cli(tmp_path):
    f = np.logspace(5, -2, 50)
    truth = [5.0, 50.0, 1e-5, 0.85, 20.0, 3.0]
    z = spelab.eis.CustomCircuit("R0-p(R1,CPE1)-Wo1", initial_guess=truth).predict(f, use_initial=True)
    r = spelab.eis.fit(f, z, "R0-p(R1,CPE1)-Wo1")
    np.testing.assert_allclose(list(r.parameters.values()), truth, rtol=1e-6)
    assert r.converged and r.chi2 < 1e-12
    np.testing.assert_allclose(r.predict(f), z, rtol=1e-7)
    # The CLI on the same data prints the same fit.
    path = tmp_path / "s.csv"
    np.savetxt(path, np.column_stack([f, z.real, z.imag]), delimiter=",")
    cli = json.loads(spelab_cli("eis", "fit", str(path), "--circuit", "R0-p(R1,CPE1)-Wo1", "--json").stdout)
    assert [p["value"] for p in cli["parameters"]] == pytest.approx(list(r.parameters.values()), rel=1e-9)


def test_fit_batch_kk_drt_conductivity():
    f = np.logspace(6, -1, 50)
    zs = np.stack([spelab.eis.CustomCircuit("R0-p(R1,C1)-C2", initial_guess=[1.0, r, 1e-9, 1e-5])
                   .predict(f, use_initial=True) for r in (40.0, 50.0, 60.0)])
    table = spelab.eis.fit_batch(f, zs, "R0-p(R1,C1)-C2")
    np.testing.assert_allclose(table["R1"], [40, 50, 60], rtol=1e-6)
    assert table["converged"].all() and table["error"].isna().all()
    assert spelab.eis.kk(f, zs[1], add_capacitance=True)["pass"]  # a blocking electrode: series C
    rc = spelab.eis.CustomCircuit("R0-p(R1,C1)", initial_guess=[1.0, 50.0, 1e-6]).predict(f, use_initial=True)
    peaks = spelab.eis.drt(f, rc)["peaks"]
    assert abs(peaks[0]["tau"] / (50 * 1e-6) - 1) < 0.1 and abs(peaks[0]["resistance"] / 50 - 1) < 0.1
    s = spelab.eis.conductivity(f, zs[1], "100 um", "2.01 cm2", circuit="R0-p(R1,C1)-C2", elements=["R1"])
    assert s["sigma"] == pytest.approx(100e-6 / (50.0 * 2.01e-4), rel=1e-6)  # sigma = L / (R_b A)


def test_errors_carry_the_cli_message(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("frequency,zr,zi\n1,2\n")
    with pytest.raises(spelab.SpelabError) as e:
        spelab.read(bad)
    cli = json.loads(spelab_cli("read", str(bad), "--json", check=False).stdout)["error"]
    assert (e.value.message, e.value.file, e.value.line, e.value.kind) == (
        cli["message"], cli["file"], cli["line"], cli["kind"])
    with pytest.raises(spelab.SpelabError, match="at character"):
        spelab.eis.fit([1.0, 2.0], [1 + 0j, 2 + 0j], "R0-X1")


def test_the_gil_is_released_during_a_fit():
    f = np.logspace(5, -2, 60)
    z = spelab.eis.CustomCircuit("R0-p(R1,CPE1)-Wo1", initial_guess=[5, 50, 1e-5, 0.85, 20, 3]).predict(
        f, use_initial=True)
    zs = np.tile(z, (40, 1))
    window = {}

    def work():
        window["start"] = time.perf_counter()
        spelab.eis.fit_batch(f, zs, "R0-p(R1,CPE1)-Wo1")
        window["end"] = time.perf_counter()

    ticks = []
    t = threading.Thread(target=work)
    t.start()
    while t.is_alive():
        ticks.append(time.perf_counter())
    t.join()
    inside = [x for x in ticks if window["start"] + 0.02 < x < window["end"] - 0.02]
    assert window["end"] - window["start"] > 0.1, "the batch is too short to tell"
    assert len(inside) > 100, "this thread did not run while the native fit ran"


SAVE_CIRCUIT = "R0-p(R1,CPE1)-Wo1"  # a constant, two-parameter elements (CPE1_0, Wo1_1): impedance.py's names


def saved_spectrum():
    f = np.logspace(5, -2, 30)
    truth = spelab.eis.CustomCircuit(SAVE_CIRCUIT, initial_guess=[5.0, 50.0, 1e-5, 20.0, 3.0],
                                     constants={"CPE1_1": 0.85})
    return f, truth.predict(f, use_initial=True) * (1 + 0.01 * np.sin(np.arange(30)))  # not an exact fit


def test_save_and_load_are_impedancepys_json_both_ways(tmp_path, capsys):
    from impedance.models.circuits import CustomCircuit as ImpyCircuit

    f, z = saved_spectrum()
    kwargs = dict(initial_guess=[4.0, 40.0, 2e-5, 10.0, 2.0], constants={"CPE1_1": 0.85}, name="cell 7")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = ImpyCircuit(SAVE_CIRCUIT, **kwargs).fit(f, z)
    ours = spelab.eis.CustomCircuit(SAVE_CIRCUIT, **kwargs).fit(f, z)

    def same(a, b):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)

    # impedance.py -> spelab: the fit, the errors and the predictions.
    theirs.save(tmp_path / "impy.json")
    loaded = spelab.eis.CustomCircuit()
    loaded.load(tmp_path / "impy.json")
    assert (loaded.name, loaded.circuit, loaded.constants) == ("cell 7", SAVE_CIRCUIT, {"CPE1_1": 0.85})
    assert loaded.initial_guess == kwargs["initial_guess"]
    assert loaded.get_param_names()[0] == theirs.get_param_names()[0]
    same(loaded.parameters_, theirs.parameters_)
    same(loaded.conf_, theirs.conf_)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(loaded.predict(f), theirs.predict(f))
    again = spelab.eis.CustomCircuit()
    again.load(tmp_path / "impy.json", fitted_as_initial=True)
    assert again.parameters_ is None and again.initial_guess == list(theirs.parameters_)

    # spelab -> impedance.py, fitted and not.
    ours.save(tmp_path / "ours.json")
    spelab.eis.CustomCircuit(SAVE_CIRCUIT, **kwargs).save(tmp_path / "ours_unfitted.json")
    back, unfitted = ImpyCircuit(), ImpyCircuit()
    back.load(tmp_path / "ours.json")
    unfitted.load(tmp_path / "ours_unfitted.json")
    capsys.readouterr()  # impedance.py's load prints the circuit string
    assert (back.name, back.circuit, back.constants) == ("cell 7", SAVE_CIRCUIT, {"CPE1_1": 0.85})
    same(back.parameters_, ours.parameters_)
    same(back.conf_, ours.conf_)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(back.predict(f), ours.predict(f))
        same(unfitted.predict(f), ours.predict(f, use_initial=True))
    assert unfitted.parameters_ is None and unfitted.initial_guess == kwargs["initial_guess"]
    # The same keys, and spelab -> spelab is the same model.
    assert json.loads((tmp_path / "ours.json").read_text()).keys() == json.loads(
        (tmp_path / "impy.json").read_text()).keys()
    mine = spelab.eis.CustomCircuit("R0", initial_guess=[1.0]).fit(f[:3], np.full(3, 2 + 0j))
    mine.load(tmp_path / "ours_unfitted.json")  # replaces the whole model, a previous fit included
    assert mine == spelab.eis.CustomCircuit(SAVE_CIRCUIT, **kwargs) and mine.chi2_ is None
    (tmp_path / "bad.json").write_text(json.dumps({"Name": None, "Circuit String": "R0-R1", "Initial Guess": [1.0],
                                                   "Constants": {}, "Fit": False}))
    with pytest.raises(ValueError, match="circuit length"):
        mine.load(tmp_path / "bad.json")
    assert mine.circuit == SAVE_CIRCUIT  # unchanged by a file it refused


def test_plot_defaults_to_altair_as_impedancepy(monkeypatch):
    import sys

    f, z = saved_spectrum()
    c = spelab.eis.CustomCircuit(SAVE_CIRCUIT, initial_guess=[5.0, 50.0, 1e-5, 20.0, 3.0],
                                 constants={"CPE1_1": 0.85})
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "altair", None)  # altair not installed: the clear error
        with pytest.raises(ValueError, match="needs the altair package.*kind='nyquist'"):
            c.plot(f_data=f, Z_data=z)
    alt = pytest.importorskip("altair")
    chart = c.plot(f_data=f, Z_data=z, size=300)
    assert isinstance(chart, alt.HConcatChart)
    spec = chart.to_dict()  # validates against the Vega-Lite schema
    bode, nyquist = spec["hconcat"]
    assert len(bode["vconcat"]) == 2 and len(nyquist["layer"]) == 2  # the fit line and the data points
    assert (nyquist["width"], nyquist["height"]) == (300, 300)
    titles = {layer["encoding"]["y"]["title"] for part in bode["vconcat"] for layer in part["layer"]}
    assert titles == {"|Z| [Ω]", "-ϕ [°]"}
    data = next(iter(spec["datasets"].values()))
    assert {row["kind"] for row in data} <= {"data", "initial guess"}
    with pytest.raises(ValueError, match="kind 'smith'"):
        c.plot(kind="smith")
