"""The Python side of scripts/bench-python (a file, so that Dask's worker processes can start)."""
import os, statistics, sys, time, warnings
import numpy as np
import spelab, spelab.distributed as sd


def main():
    warnings.filterwarnings("ignore")
    N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    data = np.loadtxt("crates/analysis/tests/data/impedancepy_exampleData.csv", delimiter=",")
    f, z = data[:, 0], data[:, 1] + 1j * data[:, 2]
    keep = z.imag < 0
    f, z = f[keep], z[keep]
    CIRCUIT, GUESS = "R0-p(R1,C1)-p(R2-Wo1,C2)", [.01, .01, 100, .01, .05, 100, 1]

    def median_s(fn, runs):
        fn()
        t = []
        for _ in range(runs):
            t0 = time.perf_counter(); fn(); t.append(time.perf_counter() - t0)
        return statistics.median(t), min(t)

    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print("== 1. one circuit fit called from Python (median / best of the runs)")
    from impedance.models.circuits import CustomCircuit as ImpyCircuit
    impy, impy_best = median_s(lambda: ImpyCircuit(CIRCUIT, initial_guess=GUESS).fit(f, z), 5)
    one, one_best = median_s(lambda: spelab.eis.fit(f, z, CIRCUIT, GUESS, multistart=0, auto_start=False), 50)
    default, default_best = median_s(lambda: spelab.eis.fit(f, z, CIRCUIT, GUESS), 10)
    drop_in, _ = median_s(lambda: spelab.eis.CustomCircuit(CIRCUIT, initial_guess=GUESS).fit(f, z), 10)
    print(f"impedance.py 1.7.1 CustomCircuit.fit      {impy*1e3:9.2f} ms (best {impy_best*1e3:.2f})")
    print(f"spelab.eis.fit, one start from the guess  {one*1e3:9.2f} ms (best {one_best*1e3:.2f})  {impy/one:7.1f}x (best {impy_best/one_best:.1f}x)")
    print(f"spelab.eis.fit, default (multi-start)     {default*1e3:9.2f} ms (best {default_best*1e3:.2f})  {impy/default:7.1f}x")
    print(f"spelab.eis.CustomCircuit.fit (default)    {drop_in*1e3:9.2f} ms  {impy/drop_in:7.1f}x")

    print(f"== 2. {N} spectra, spelab.distributed.fit_spectra (one start from the guess + the automatic guess)")
    best = spelab.eis.fit(f, z, CIRCUIT, GUESS)
    p0 = np.array(list(best.parameters.values()))
    rng = np.random.default_rng(1)
    params = p0 * np.exp(rng.uniform(np.log(0.8), np.log(1.25), size=(N, p0.size)))
    Z = np.stack([spelab.eis._native.predict(CIRCUIT, f, list(p)) for p in params])
    Z = Z * (1 + 0.005 * (rng.standard_normal(Z.shape) + 1j * rng.standard_normal(Z.shape)))
    options = dict(initial=GUESS, multistart=0)
    t0, c0 = time.perf_counter(), time.process_time()
    serial = sd.fit_spectra(f, Z, CIRCUIT, **options)
    t_serial, c_serial = time.perf_counter() - t0, time.process_time() - c0
    print(f"one process (fit_spectra, client=None)    {t_serial:8.2f} s wall, {c_serial:.2f} s CPU "
          f"({c_serial / N * 1e3:.3f} ms CPU per spectrum)")
    import dask, logging
    from dask.distributed import Client, LocalCluster
    # Workers as a batch job runs them: no statistical profiler thread sampling the running fits.
    dask.config.set({"distributed.worker.profile.enabled": False})
    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None)
    client = Client(cluster)
    print(f"Dask LocalCluster start (2 workers)       {time.perf_counter() - t0:8.2f} s (not counted)")
    client.run(lambda: __import__("spelab"))  # import spelab on the workers once
    sd.fit_spectra(f, Z[:8], CIRCUIT, client=client, chunk_size=1, **options)  # warm-up (not counted)
    cpu0 = client.run(time.process_time)
    t0 = time.perf_counter(); table = sd.fit_spectra(f, Z, CIRCUIT, client=client, **options); t_dask = time.perf_counter() - t0
    cpu = [client.run(time.process_time)[w] - cpu0[w] for w in cpu0]
    tasks = len(sd._chunks(N, None, 2))
    print(f"Dask, 2 workers ({tasks} chunks)               {t_dask:8.2f} s wall, worker CPU "
          f"{' + '.join(f'{c:.2f}' for c in cpu)} s")
    # The workers' own background (heartbeats, memory monitor) over the same wall time, idle: on a loaded
    # machine the run's wall time, and so this background, is inflated; on idle cores it is negligible.
    idle0 = client.run(time.process_time)
    time.sleep(t_dask)
    idle = [client.run(time.process_time)[w] - idle0[w] for w in idle0]
    fits = [c - b for c, b in zip(cpu, idle)]
    print(f"speed-up, wall clock on this machine: {t_serial / t_dask:.2f}x; from CPU time (what 2 idle cores "
          f"give): one process / busier worker {c_serial / max(cpu):.2f}x, without the workers' idle "
          f"background ({' + '.join(f'{b:.2f}' for b in idle)} s) {c_serial / max(fits):.2f}x")
    same = np.allclose(table["R1"], serial["R1"], rtol=1e-9, equal_nan=True)
    print(f"same fits as one process: {same}; converged {int(table['converged'].sum())}/{N}")
    def noop(i):
        return i
    futures = client.map(noop, range(20), pure=False); client.gather(futures)
    M = 1000
    t0 = time.perf_counter(); client.gather(client.map(noop, range(M), pure=False)); t_noop = time.perf_counter() - t0
    print(f"per-task overhead: {t_noop / M * 2 * 1e3:.2f} ms (x {tasks} tasks = {t_noop / M * 2 * tasks * 1e3:.1f} ms of {t_dask:.1f} s)")
    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # no heartbeat noise at shutdown
    client.close(); cluster.close()


if __name__ == "__main__":
    main()
