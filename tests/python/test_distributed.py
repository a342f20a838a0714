"""spelab.distributed on a local Dask cluster and a local Ray, 2 workers each, loopback only."""

import os

import numpy as np
import pytest

import spelab
import spelab.distributed as sd
from conftest import time_limit

CIRCUIT = "R0-p(R1,C1)"


def spectra(n=24):
    f = np.logspace(5, -1, 30)
    r1 = np.linspace(50, 150, n)
    z = np.stack([spelab.eis.CustomCircuit(CIRCUIT, initial_guess=[10.0, r, 1e-6]).predict(f, use_initial=True)
                  for r in r1])
    return f, z, r1


def test_dask_fits_and_simulations_on_two_local_workers():
    distributed = pytest.importorskip("dask.distributed")
    f, z, r1 = spectra()
    with time_limit(120):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            seen = []
            table = sd.fit_spectra(f, z, CIRCUIT, client=client, chunk_size=5,
                                   progress=lambda done, total: seen.append((done, total)))
            sweep = [{"material": "pvh", "protocol": "constant", "current": c, "duration": "10 min"}
                     for c in ("0.1 mA/cm2", "0.2 mA/cm2", "bad")]
            runs = sd.simulate_many("symmetric", sweep, client=client)
    assert table["spectrum"].tolist() == list(range(len(r1)))
    np.testing.assert_allclose(table["R1"], r1, rtol=1e-6)
    assert seen[-1] == (len(r1), len(r1)) and len(seen) == 5
    serial = sd.fit_spectra(f, z, CIRCUIT)
    np.testing.assert_array_equal(table["R1"], serial["R1"])
    assert runs["run"].tolist() == [0, 1, 2]
    assert runs["error"].isna().tolist() == [True, True, False]
    assert runs.loc[1, "final_voltage_V"] > runs.loc[0, "final_voltage_V"] > 0


def test_ray_fits_on_two_local_cpus():
    ray = pytest.importorskip("ray")
    f, z, r1 = spectra(12)
    with time_limit(180):
        ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False,
                 configure_logging=False, runtime_env={"env_vars": {"PYTHONPATH": os.environ.get("PYTHONPATH", "")}})
        try:
            table = sd.fit_spectra(f, z, CIRCUIT, client="ray", chunk_size=4)
        finally:
            ray.shutdown()
    np.testing.assert_allclose(table["R1"], r1, rtol=1e-6)
    assert table["spectrum"].tolist() == list(range(12))
