"""Many fits or simulations on a Dask cluster or Ray, gathered as one pandas DataFrame.

Work is cut into chunks (by default about four per worker) so that the per-task overhead (scheduling,
pickling, a round trip: about a millisecond on Dask) is paid per chunk, not per spectrum; each chunk runs
spelab's native batch call on a worker with the GIL released. Progress is reported as chunks finish.

Backends: ``client=`` a ``dask.distributed.Client``; ``client="ray"`` (or the ``ray`` module) for Ray
(``ray.init`` first, or it is called with defaults); ``client=None`` runs in this process.

Campaign-size EIS batch on Dask (every spectrum shares one frequency vector)::

    from dask.distributed import Client, LocalCluster
    import spelab, spelab.distributed
    client = Client(LocalCluster(n_workers=8, threads_per_worker=1))
    table = spelab.distributed.fit_spectra(f, Z, "R0-p(R1,CPE1)-Wo1", client=client)
    table[["R1", "R1_stderr", "chi2"]].describe()

DFN parameter sweep on Ray (one full-cell simulation per parameter set, per-cycle capacities back)::

    import ray, spelab.distributed
    ray.init()
    sweep = [{"material": m, "thickness": t, "c_rates": "0.1,0.5,1", "cycles": 1}
             for m in ("pvh", "pvh-im") for t in ("50 um", "100 um", "200 um")]
    cycles = spelab.distributed.simulate_many("full_cell", sweep, client="ray")
    cycles.pivot_table(index=["material", "thickness"], columns="c_rate", values="discharge_mah_g")
"""

import math
import sys
import time
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np

__all__ = ["fit_spectra", "simulate_many", "fit_chunk", "simulate_chunk"]

Progress = Union[bool, Callable[[int, int], None]]


def fit_chunk(start: int, frequency: np.ndarray, impedance: np.ndarray, circuit: str,
              options: Dict[str, Any]):
    """One chunk of :func:`fit_spectra` (runs on a worker): ``spelab.eis.fit_batch`` with a
    ``spectrum`` column numbering the rows from ``start``."""
    from . import eis

    table = eis.fit_batch(frequency, impedance, circuit, **options)
    table.insert(0, "spectrum", np.arange(start, start + len(table)))
    return table


def simulate_chunk(kind: str, start: int, parameter_sets: Sequence[Mapping[str, Any]]):
    """One chunk of :func:`simulate_many` (runs on a worker): one summary row per run (symmetric) or
    per cycle (full_cell), with the run's parameters and a ``run`` number."""
    import pandas as pd

    from . import simulate

    rows: List[Dict[str, Any]] = []
    for i, params in enumerate(parameter_sets):
        base = {"run": start + i, **params}
        try:
            df = getattr(simulate, kind)(**params)
        except Exception as e:  # one failed run is a row with its error, not a lost batch
            rows.append({**base, "error": str(e)})
            continue
        summary = df.attrs["summary"]
        if kind == "full_cell":
            for cycle in summary["cycles"]:
                rows.append({**base, **{k: v for k, v in cycle.items() if not isinstance(v, (dict, list))},
                             "error": None})
        else:
            flat = {k: v for k, v in summary.items() if not isinstance(v, (dict, list))}
            rows.append({**base, **flat, "final_voltage_V": float(df["voltage_V"].iloc[-1]),
                         "max_abs_voltage_V": float(df["voltage_V"].abs().max()), "error": None})
    return pd.DataFrame(rows)


def _report(progress: Progress, done: int, total: int, started: float) -> None:
    if callable(progress):
        progress(done, total)
    elif progress:
        rate = done / max(time.perf_counter() - started, 1e-9)
        end = "\n" if done == total else ""
        print(f"\rspelab.distributed: {done}/{total} items ({rate:.0f}/s)", end=end, file=sys.stderr,
              flush=True)


def _is_ray(client: Any) -> bool:
    return client == "ray" or getattr(client, "__name__", None) == "ray"


def _workers(client: Any) -> int:
    if client is None:
        return 1
    if _is_ray(client):
        import ray

        return max(1, int(ray.cluster_resources().get("CPU", 1)))
    return max(1, len(client.scheduler_info()["workers"]))


def _run(func: Callable[..., Any], calls: List[tuple], sizes: List[int], client: Any,
         progress: Progress) -> List[Any]:
    """Runs ``func(*args)`` for each of ``calls`` on the backend; results in call order."""
    total, done, started = sum(sizes), 0, time.perf_counter()
    results: List[Any] = [None] * len(calls)
    if client is None:
        for k, args in enumerate(calls):
            results[k] = func(*args)
            done += sizes[k]
            _report(progress, done, total, started)
    elif _is_ray(client):
        import ray

        if not ray.is_initialized():
            ray.init()
        remote = ray.remote(func)
        pending = {remote.remote(*args): k for k, args in enumerate(calls)}
        while pending:
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                k = pending.pop(ref)
                results[k] = ray.get(ref)
                done += sizes[k]
                _report(progress, done, total, started)
    else:
        from dask.distributed import as_completed

        futures = [client.submit(func, *args, pure=False) for args in calls]
        index = {f.key: k for k, f in enumerate(futures)}
        for future in as_completed(futures):
            k = index[future.key]
            results[k] = future.result()
            done += sizes[k]
            _report(progress, done, total, started)
    return results


def _chunks(n: int, chunk_size: Optional[int], workers: int) -> List[range]:
    size = chunk_size or max(1, math.ceil(n / (4 * workers)))
    return [range(i, min(i + size, n)) for i in range(0, n, size)]


def fit_spectra(frequency: Any, impedance: Any, circuit: str, *, client: Any = None,
                chunk_size: Optional[int] = None, initial: Any = None,
                fixed: Optional[Mapping[str, float]] = None, weighting: str = "unit",
                multistart: Optional[int] = None, seed: int = 0, auto_start: bool = True,
                progress: Progress = False):
    """Fits ``circuit`` to every row of ``impedance`` (spectra x frequencies, complex) on ``client``
    (Dask ``Client``, ``"ray"``, or None for this process); returns one DataFrame, a row per spectrum
    in input order (fit options as ``spelab.eis.fit``'s): ``spectrum``, each parameter and ``<name>_stderr``, ``chi2``, ``converged``,
    ``error``. ``progress``: True prints a progress line to stderr; a callable gets
    ``(done, total)``."""
    import pandas as pd

    f = np.ascontiguousarray(np.asarray(frequency, dtype=np.float64).ravel())
    z = np.ascontiguousarray(np.asarray(impedance, dtype=np.complex128))
    if z.ndim != 2 or z.shape[1] != f.size:
        raise ValueError(f"impedance must be spectra x {f.size} frequencies, got shape {z.shape}")
    options = dict(initial=initial, fixed=fixed, weighting=weighting, multistart=multistart, seed=seed,
                   auto_start=auto_start)
    chunks = _chunks(z.shape[0], chunk_size, _workers(client))
    calls = [(c.start, f, z[c.start:c.stop], circuit, options) for c in chunks]
    parts = _run(fit_chunk, calls, [len(c) for c in chunks], client, progress)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def simulate_many(kind: str, parameter_sets: Sequence[Mapping[str, Any]], *, client: Any = None,
                  chunk_size: Optional[int] = 1, progress: Progress = False):
    """Runs ``spelab.simulate.<kind>`` (``"symmetric"`` or ``"full_cell"``) once per parameter set on
    ``client``; returns one DataFrame: the run's parameters and ``run`` number with one row per run
    (symmetric: protocol, stop, CCD, final and largest voltage) or per cycle (full_cell: C-rate,
    charge and discharge capacity in mAh/g, ...), ``error`` for a run that failed."""
    import pandas as pd

    if kind not in ("symmetric", "full_cell"):
        raise ValueError(f"kind '{kind}': expected 'symmetric' or 'full_cell'")
    sets = [dict(p) for p in parameter_sets]
    chunks = _chunks(len(sets), chunk_size, _workers(client))
    calls = [(kind, c.start, sets[c.start:c.stop]) for c in chunks]
    parts = _run(simulate_chunk, calls, [len(c) for c in chunks], client, progress)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
