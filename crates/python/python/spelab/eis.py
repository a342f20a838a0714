"""Impedance spectroscopy: circuit fits, lin-KK, DRT and ionic conductivity.

Circuit strings are impedance.py's (``"R0-p(R1,CPE1)-Wo1"``; elements R, C, L, CPE, La, W, Wo, Ws, G,
Gs, K, Zarc, TLMQ). Parameters are named as ``spelab eis fit`` names them (``R0``, ``CPE1.q``,
``CPE1.alpha``); :class:`CustomCircuit` uses impedance.py's names (``CPE1_0``) and flat lists instead.
Frequencies in Hz, impedances as complex Ohm (Z' + jZ'', NumPy ``complex128``).

>>> import numpy as np, spelab
>>> f = np.logspace(5, -1, 40)
>>> truth = spelab.eis.CustomCircuit("R0-p(R1,C1)", initial_guess=[10.0, 100.0, 1e-6])
>>> fit = spelab.eis.fit(f, truth.predict(f, use_initial=True), "R0-p(R1,C1)")
>>> {k: round(v, 9) for k, v in fit.parameters.items()}
{'R0': 10.0, 'R1': 100.0, 'C1': 1e-06}
"""

import json
import warnings
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native

__all__ = ["fit", "fit_batch", "FitResult", "CustomCircuit", "kk", "drt", "conductivity", "parameters"]

ArrayLike = Union[Sequence[float], np.ndarray]


def _freq(frequency: ArrayLike) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(frequency, dtype=np.float64).ravel())


def _z(impedance: ArrayLike) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(impedance, dtype=np.complex128))


def parameters(circuit: str) -> List[Tuple[str, str, str]]:
    """The parameters of ``circuit`` in order: ``(name, element, unit)``.

    >>> spelab.eis.parameters("R0-p(R1,CPE1)")  # doctest: +NORMALIZE_WHITESPACE
    [('R0', 'R0', 'Ohm'), ('R1', 'R1', 'Ohm'), ('CPE1.q', 'CPE1', 'Ohm^-1 s^alpha'), ('CPE1.alpha', 'CPE1', '')]
    """
    return [tuple(p) for p in _native.circuit_parameters(circuit)]


def _named(circuit: str, values: Union[None, Mapping[str, float], Sequence[float]]) -> List[Tuple[str, float]]:
    if values is None:
        return []
    if isinstance(values, Mapping):
        return [(str(k), float(v)) for k, v in values.items()]
    names = [p[0] for p in parameters(circuit)]
    values = list(values)
    if len(values) != len(names):
        raise ValueError(f"circuit '{circuit}' has {len(names)} parameters ({', '.join(names)}), "
                         f"{len(values)} values given")
    return [(n, float(v)) for n, v in zip(names, values)]


class FitResult:
    """A circuit fit: ``parameters`` and ``std_errors`` (dicts name -> value, NaN where not
    determined), ``chi2``, ``reduced_chi2``, ``pseudo_chi2``, ``converged``, ``termination``, ``units``,
    ``raw`` (every field of ``spelab eis fit --json``); ``predict(frequency)`` evaluates the fitted
    circuit."""

    def __init__(self, raw: Dict[str, Any]) -> None:
        self.raw = raw
        self.circuit: str = raw["circuit"]
        self.parameters: Dict[str, float] = {p["name"]: p["value"] for p in raw["parameters"]}
        self.std_errors: Dict[str, float] = {
            p["name"]: float("nan") if p["std_error"] is None else p["std_error"] for p in raw["parameters"]}
        self.units: Dict[str, str] = {p["name"]: p["unit"] for p in raw["parameters"]}
        self.fixed: Dict[str, bool] = {p["name"]: p["fixed"] for p in raw["parameters"]}
        self.chi2: float = raw["chi2"]
        self.reduced_chi2: float = raw["reduced_chi2"]
        self.pseudo_chi2: float = raw["pseudo_chi2"]
        self.termination: Any = raw["termination"]
        self.converged: bool = raw["converged"]

    def predict(self, frequency: ArrayLike) -> np.ndarray:
        """The fitted circuit's impedance at ``frequency`` [Hz] (complex128)."""
        return _native.predict(self.circuit, _freq(frequency), list(self.parameters.values()))

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={v:.6g}" for k, v in self.parameters.items())
        return f"FitResult({self.circuit}: {body}; chi2={self.chi2:.6g})"


def fit(frequency: ArrayLike, impedance: ArrayLike, circuit: str,
        initial: Union[None, Mapping[str, float], Sequence[float]] = None,
        fixed: Optional[Mapping[str, float]] = None, weighting: str = "unit", *,
        multistart: Optional[int] = None, seed: int = 0, f_min: Optional[float] = None,
        f_max: Optional[float] = None, capacitive_only: bool = False, auto_start: bool = True) -> FitResult:
    """CNLS fit of ``circuit`` to a spectrum (``spelab eis fit``): the given start, the automatic guess
    and seeded random starts; the lowest chi-square wins.

    ``initial``: dict name -> value (others from the automatic guess) or a full list in circuit order;
    ``fixed``: dict name -> value held; ``weighting``: ``"unit"`` (impedance.py's default),
    ``"modulus"`` or ``"proportional"``; ``multistart``: extra random starts (default 24, stopping when
    3 agree); ``auto_start``: also try the automatic guess when ``initial`` is given (``multistart=0,
    auto_start=False`` is one start from ``initial``, as impedance.py fits); ``f_min``/``f_max``/
    ``capacitive_only``: the CLI's frequency window.

    >>> f = np.logspace(4, -2, 30)
    >>> z = _native.predict("R0-p(R1,CPE1)", f, [5.0, 50.0, 1e-5, 0.85])
    >>> r = spelab.eis.fit(f, z, "R0-p(R1,CPE1)", fixed={"R0": 5.0})
    >>> round(r.parameters["CPE1.alpha"], 6), r.fixed["R0"]
    (0.85, True)
    """
    raw = _native.fit(_freq(frequency), _z(impedance).ravel(), circuit, _named(circuit, initial),
                      _named(circuit, fixed), weighting, multistart, seed, f_min, f_max, capacitive_only,
                      auto_start)
    return FitResult(json.loads(raw))


def fit_batch(frequency: ArrayLike, impedance: ArrayLike, circuit: str,
              initial: Union[None, Mapping[str, float], Sequence[float]] = None,
              fixed: Optional[Mapping[str, float]] = None, weighting: str = "unit", *,
              multistart: Optional[int] = None, seed: int = 0, auto_start: bool = True):
    """Fits ``circuit`` to each row of ``impedance`` (spectra x frequencies, one shared frequency
    vector) in this thread, GIL released; returns a pandas DataFrame with one row per spectrum: each
    parameter, ``<name>_stderr``, ``chi2``, ``converged`` and ``error`` (None, or why that spectrum
    could not be fitted); options as :func:`fit`'s. :mod:`spelab.distributed` spreads it over Dask or Ray.

    >>> f = np.logspace(4, -1, 25)
    >>> z = np.stack([_native.predict("R0-p(R1,C1)", f, [1.0, r, 1e-5]) for r in (10.0, 20.0)])
    >>> spelab.eis.fit_batch(f, z, "R0-p(R1,C1)")["R1"].round(6).tolist()
    [10.0, 20.0]
    """
    import pandas as pd

    z = _z(impedance)
    if z.ndim != 2:
        raise ValueError(f"impedance must be 2-D (spectra x frequencies), got shape {z.shape}")
    values, errors, chi2, converged, messages = _native.fit_batch(
        _freq(frequency), z, circuit, _named(circuit, initial), _named(circuit, fixed), weighting,
        multistart, seed, auto_start)
    names = [p[0] for p in parameters(circuit)]
    data: Dict[str, Any] = {n: values[:, j] for j, n in enumerate(names)}
    data.update({f"{n}_stderr": errors[:, j] for j, n in enumerate(names)})
    data.update(chi2=chi2, converged=converged, error=messages)
    return pd.DataFrame(data)


def kk(frequency: ArrayLike, impedance: ArrayLike, *, mu_cutoff: Optional[float] = 0.5, max_m: int = 100,
       fit: str = "complex", add_capacitance: bool = False, threshold: float = 0.01,
       f_min: Optional[float] = None, f_max: Optional[float] = None,
       capacitive_only: bool = False) -> Dict[str, Any]:
    """lin-KK validation (``spelab eis kk --json``): a dict with ``m``, ``mu``, ``max_residual``,
    ``pass`` and the residuals.

    >>> f = np.logspace(5, -1, 40)
    >>> spelab.eis.kk(f, _native.predict("R0-p(R1,C1)", f, [10, 100, 1e-6]))["pass"]
    True
    """
    return json.loads(_native.kk(_freq(frequency), _z(impedance).ravel(), mu_cutoff, max_m, fit,
                                 add_capacitance, threshold, f_min, f_max, capacitive_only))


def drt(frequency: ArrayLike, impedance: ArrayLike, *, points_per_decade: int = 10,
        lambda_: Optional[float] = None, f_min: Optional[float] = None, f_max: Optional[float] = None,
        capacitive_only: bool = False) -> Dict[str, Any]:
    """Distribution of relaxation times (``spelab eis drt --json``): ``tau``, ``gamma``, ``r_inf``,
    ``lambda`` (from GCV unless given) and the ``peaks``.

    >>> f = np.logspace(5, -1, 60)
    >>> peaks = spelab.eis.drt(f, _native.predict("R0-p(R1,C1)", f, [10, 100, 1e-5]))["peaks"]
    >>> abs(peaks[0]["tau"] / 1e-3 - 1) < 0.2
    True
    """
    return json.loads(_native.drt(_freq(frequency), _z(impedance).ravel(), points_per_decade, lambda_,
                                  f_min, f_max, capacitive_only))


def conductivity(frequency: ArrayLike, impedance: ArrayLike, thickness: str, area: str, *,
                 circuit: Optional[str] = None, elements: Sequence[str] = (), weighting: str = "unit",
                 thickness_error: Optional[str] = None, area_error: Optional[str] = None) -> Dict[str, Any]:
    """Ionic conductivity sigma = L/(R_b A) [S/m] (``spelab eis conductivity --json``): R_b from the
    fitted ``elements`` of ``circuit`` (summed), or from the spectrum's real-axis intercept; lengths and
    areas as unit strings (``"100 um"``, ``"2.01 cm2"``).

    >>> f = np.logspace(6, -1, 50)
    >>> z = _native.predict("R0-p(R1,C1)-C2", f, [1.0, 50.0, 1e-9, 1e-5])
    >>> s = spelab.eis.conductivity(f, z, "100 um", "2.01 cm2", circuit="R0-p(R1,C1)-C2", elements=["R1"])
    >>> round(s["sigma"], 6)
    0.00995
    """
    if circuit is not None and not elements:
        raise ValueError("conductivity with a circuit needs elements, e.g. elements=['R1']")
    return json.loads(_native.conductivity(_freq(frequency), _z(impedance).ravel(), thickness, area,
                                           circuit, list(elements), weighting, thickness_error, area_error))


class CustomCircuit:
    """A drop-in for impedance.py 1.7.1's ``impedance.models.circuits.CustomCircuit``: same circuit
    strings, ``initial_guess`` (flat list without the constants), ``constants`` (``{"R0": 0.1,
    "CPE1_1": 0.9}``), ``fit`` / ``predict`` / ``parameters_`` / ``conf_`` / ``get_param_names`` /
    ``plot`` (altair by default, matplotlib nyquist or bode) / ``save`` / ``load`` (impedance.py's JSON
    model files, readable by either package); fitted by spelab's CNLS fit (the given guess plus spelab's
    automatic and random starts, so the optimum is impedance.py's or one with a lower chi-square).

    >>> f = np.logspace(5, -1, 30)
    >>> truth = CustomCircuit("R0-p(R1,C1)", initial_guess=[10.0, 100.0, 1e-6])
    >>> c = CustomCircuit("R0-p(R1,C1)", initial_guess=[1.0, 10.0, 1e-5]).fit(f, truth.predict(f, use_initial=True))
    >>> np.round(c.parameters_, 6).tolist()
    [10.0, 100.0, 1e-06]
    """

    @staticmethod
    def _layout(circuit: str, n_guess: int,
                constants: Mapping[str, Any]) -> Tuple[List[Tuple[str, str, str]], List[str]]:
        """spelab's parameters of ``circuit`` and impedance.py's names for them, after checking the
        constants and the number of values (impedance.py's rule)."""
        params = parameters(circuit) if circuit else []
        counts: Dict[str, int] = {}
        for _, element, _ in params:
            counts[element] = counts.get(element, 0) + 1
        seen: Dict[str, int] = {}
        impy_names: List[str] = []
        for _, element, _ in params:
            k = seen.get(element, 0)
            seen[element] = k + 1
            impy_names.append(element if counts[element] == 1 else f"{element}_{k}")
        for key in constants:
            if key not in impy_names:
                raise ValueError(f"constant '{key}' is not a parameter of {circuit} ({', '.join(impy_names)})")
        if n_guess + len(constants) != len(params):
            raise ValueError("The number of initial guesses + the number of constants must be equal to "
                             f"the circuit length ({len(params)} for {circuit})")
        return params, impy_names

    def __init__(self, circuit: str = "", initial_guess: Sequence[float] = (),
                 constants: Optional[Mapping[str, float]] = None, name: Optional[str] = None,
                 **kwargs: Any) -> None:
        initial_guess = [x for x in initial_guess if x is not None]
        for value in initial_guess:
            if not isinstance(value, (int, float, np.integer, np.floating)):
                raise TypeError(f"value {value} in initial_guess is not a number")
        self.circuit = circuit.replace(" ", "")
        self.initial_guess = list(initial_guess)
        self.constants = dict(constants) if constants is not None else {}
        self.name = name
        self.parameters_: Optional[np.ndarray] = None
        self.conf_: Optional[np.ndarray] = None
        self.chi2_: Optional[float] = None
        self._params, self._impy_names = self._layout(self.circuit, len(self.initial_guess), self.constants)

    def _free(self) -> List[int]:
        return [i for i, n in enumerate(self._impy_names) if n not in self.constants]

    def _full(self, free_values: Sequence[float]) -> List[float]:
        values = iter(free_values)
        return [float(self.constants[n]) if n in self.constants else float(next(values))
                for n in self._impy_names]

    def fit(self, frequencies: ArrayLike, impedance: ArrayLike, bounds: Any = None,
            weight_by_modulus: bool = False, **kwargs: Any) -> "CustomCircuit":
        """Fits the circuit to the spectrum; sets ``parameters_`` and ``conf_`` (one standard error per
        free parameter, as ``scipy.optimize.curve_fit`` computes it) and returns self. ``bounds`` and
        impedance.py's extra keyword arguments (``global_opt``, ...) are accepted and ignored: spelab's
        bounds are physical (positive values, exponents in (0, 1]) and its starts are global."""
        frequencies = np.asarray(frequencies, dtype=float)
        impedance = np.asarray(impedance, dtype=complex)
        if len(frequencies) != len(impedance):
            raise TypeError("length of frequencies and impedance do not match")
        if not self.initial_guess:
            raise ValueError("No initial guess supplied")
        if bounds is not None or kwargs:
            warnings.warn("spelab.eis.CustomCircuit.fit ignores bounds and scipy options", stacklevel=2)
        names = [p[0] for p in self._params]
        free = self._free()
        initial = {names[i]: float(v) for i, v in zip(free, self.initial_guess)}
        fixed = {names[i]: float(self.constants[n]) for i, n in enumerate(self._impy_names)
                 if n in self.constants}
        result = fit(frequencies, impedance, self.circuit, initial, fixed,
                     "modulus" if weight_by_modulus else "unit")
        values = list(result.parameters.values())
        errors = list(result.std_errors.values())
        self.parameters_ = np.array([values[i] for i in free])
        self.conf_ = np.array([errors[i] for i in free])
        self.chi2_ = result.chi2
        return self

    def predict(self, frequencies: ArrayLike, use_initial: bool = False) -> np.ndarray:
        """The circuit's impedance at ``frequencies`` with the fitted parameters (the initial guess
        before a fit, or with ``use_initial=True``)."""
        if self.parameters_ is not None and not use_initial:
            free = self.parameters_
        else:
            if self.parameters_ is None and not use_initial:
                warnings.warn("Simulating circuit based on initial parameters", stacklevel=2)
            free = self.initial_guess
        return _native.predict(self.circuit, _freq(frequencies), self._full(free))

    def get_param_names(self) -> Tuple[List[str], List[str]]:
        """Names (impedance.py's: ``R0``, ``CPE1_0``) and units of the free parameters."""
        free = self._free()
        return [self._impy_names[i] for i in free], [self._params[i][2] for i in free]

    def _model(self, f: np.ndarray) -> Optional[np.ndarray]:
        """The circuit at ``f``: fitted, else the initial guess; None when there is no full guess."""
        if not self._params or (self.parameters_ is None and len(self.initial_guess) != len(self._free())):
            return None
        return self.predict(f, use_initial=self.parameters_ is None)

    def plot(self, ax: Any = None, f_data: Optional[ArrayLike] = None, Z_data: Optional[ArrayLike] = None,
             kind: str = "altair", **kwargs: Any) -> Any:
        """impedance.py's ``plot``: the data (``f_data``, ``Z_data``) as points, the circuit (fitted,
        or the initial guess) as a line, at ``f_data`` or 10^5 to 10^-2 Hz.

        ``kind="altair"`` (the default, as in impedance.py; needs the ``altair`` package): an
        interactive chart, Bode |Z| and phase beside the Nyquist plot (equal axis ranges, zoom and pan,
        tooltips); keyword arguments ``size`` (Nyquist height and width in pixels, default 400) and
        ``background`` (default ``"#FFFFFF"``); returns the ``altair`` chart. Without altair installed
        it raises a ``ValueError`` saying so: pass ``kind="nyquist"`` or ``"bode"``.
        ``kind="nyquist"`` (-Z'' vs Z', equal axes) or ``"bode"`` (|Z| and phase) plot with matplotlib
        (other keyword arguments go to ``Axes.plot``) and return the axes.

        >>> c = CustomCircuit("R0-p(R1,C1)", initial_guess=[10.0, 100.0, 1e-6], name="RC")
        >>> chart = c.plot()  # doctest: +SKIP
        >>> chart.save("rc.html")  # doctest: +SKIP
        >>> ax = c.plot(kind="nyquist")  # doctest: +SKIP
        """
        if kind not in ("altair", "nyquist", "bode"):
            raise ValueError(f"kind '{kind}': spelab plots 'altair', 'nyquist' or 'bode'")
        f = np.logspace(5, -2, 200) if f_data is None else _freq(f_data)
        if kind == "altair":
            return self._plot_altair(f, f_data, Z_data, **kwargs)
        import matplotlib.pyplot as plt

        z_fit = self._model(f)
        if kind == "nyquist":
            ax = ax if ax is not None else plt.subplots()[1]
            if Z_data is not None:
                z = _z(Z_data)
                ax.plot(z.real, -z.imag, "o", label="data", **kwargs)
            if z_fit is not None:
                ax.plot(z_fit.real, -z_fit.imag, "-", label=self.name or self.circuit)
            ax.set_xlabel("Z' [Ohm]")
            ax.set_ylabel("-Z'' [Ohm]")
            ax.set_aspect("equal", adjustable="datalim")
            return ax
        axes = ax if ax is not None else plt.subplots(2, 1, sharex=True)[1]
        curves = ([(_z(Z_data), "o")] if Z_data is not None else []) + ([(z_fit, "-")] if z_fit is not None else [])
        for z, style in curves:
            axes[0].loglog(f, np.abs(z), style, **kwargs)
            axes[1].semilogx(f, -np.degrees(np.angle(z)), style, **kwargs)
        axes[0].set_ylabel("|Z| [Ohm]")
        axes[1].set_ylabel("-phase [deg]")
        axes[1].set_xlabel("f [Hz]")
        return axes

    def _plot_altair(self, f: np.ndarray, f_data: Optional[ArrayLike], Z_data: Optional[ArrayLike],
                     size: int = 400, background: str = "#FFFFFF") -> Any:
        try:
            import altair as alt
        except ImportError:
            raise ValueError("kind 'altair' (impedance.py's default) needs the altair package (pip install "
                             "altair); or pass kind='nyquist' or 'bode' (matplotlib)") from None
        import pandas as pd

        frames = []

        def add(freq: np.ndarray, z: np.ndarray, label: str, mark: str) -> None:
            frames.append(pd.DataFrame({"f": freq, "z_real": z.real, "neg_z_imag": -z.imag, "mag": np.abs(z),
                                        "neg_phase": -np.degrees(np.angle(z)), "kind": label, "mark": mark}))

        if Z_data is not None and f_data is not None:  # impedance.py plots data given with frequencies
            add(f, _z(Z_data).ravel(), "data", "point")
        z_fit = self._model(f)
        if z_fit is not None:
            add(f, z_fit, self.name or ("fit" if self.parameters_ is not None else "initial guess"), "line")
        if not frames:
            raise ValueError("nothing to plot: no data (f_data and Z_data) and no fit or initial guess")
        df = pd.concat(frames, ignore_index=True)
        # Nyquist axes over the same range, so a semicircle looks like one.
        rng = max(np.ptp(df["z_real"].to_numpy()), np.ptp(df["neg_z_imag"].to_numpy())) or 1.0
        x0, y0 = float(df["z_real"].min()), float(df["neg_z_imag"].min())
        tooltip = ["kind:N", alt.Tooltip("f:Q", format=".4g"), alt.Tooltip("z_real:Q", format=".4g"),
                   alt.Tooltip("neg_z_imag:Q", format=".4g")]
        nyquist, mags, phases = [], [], []
        for mark in ("line", "point"):
            part = df[df["mark"] == mark]
            if part.empty:
                continue
            base = alt.Chart(part)
            base = base.mark_line() if mark == "line" else base.mark_circle(size=40)
            color = alt.Color("kind:N", legend=alt.Legend(title="Legend"))
            nyquist.append(base.encode(
                x=alt.X("z_real:Q", title="Z' [Ω]", scale=alt.Scale(domain=[x0, x0 + rng], nice=False, padding=5)),
                y=alt.Y("neg_z_imag:Q", title="-Z'' [Ω]",
                        scale=alt.Scale(domain=[y0, y0 + rng], nice=False, padding=5)),
                color=color, order="f:Q" if mark == "line" else alt.Undefined, tooltip=tooltip,
            ).properties(width=size, height=size))
            bode = base.encode(x=alt.X("f:Q", title="f [Hz]", scale=alt.Scale(type="log", nice=False)),
                               color=color, tooltip=tooltip).properties(width=size, height=size / 2 - 25)
            mags.append(bode.encode(y=alt.Y("mag:Q", title="|Z| [Ω]")))
            phases.append(bode.encode(y=alt.Y("neg_phase:Q", title="-ϕ [°]")))
        bode_chart = alt.vconcat(alt.layer(*mags).interactive(name="zoom_mag"),
                                 alt.layer(*phases).interactive(name="zoom_phase"))
        return alt.hconcat(bode_chart, alt.layer(*nyquist).interactive(name="zoom_nyquist")).configure(
            background=background)

    def save(self, filepath: Any) -> None:
        """Writes the model to ``filepath`` as impedance.py's JSON (``Name``, ``Circuit String``,
        ``Initial Guess``, ``Constants``, ``Fit`` and, when fitted, ``Parameters`` and ``Confidence``):
        impedance.py's ``CustomCircuit.load`` reads it, and :meth:`load` reads impedance.py's files.

        >>> import os, tempfile
        >>> c = CustomCircuit("R0-p(R1,CPE1)", initial_guess=[10.0, 100.0, 1e-5], constants={"CPE1_1": 0.9})
        >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
        >>> c.save(path)
        >>> loaded = CustomCircuit()
        >>> loaded.load(path)
        >>> loaded == c, loaded.get_param_names()[0]
        (True, ['R0', 'R1', 'CPE1_0'])
        """
        data: Dict[str, Any] = {
            "Name": self.name,
            "Circuit String": self.circuit,
            "Initial Guess": [float(v) for v in self.initial_guess],
            "Constants": {k: float(v) for k, v in self.constants.items()},
            "Fit": self.parameters_ is not None,
        }
        if self.parameters_ is not None:
            n = len(self.parameters_)
            conf = self.conf_ if self.conf_ is not None else [float("nan")] * n
            data["Parameters"] = [float(v) for v in self.parameters_]
            data["Confidence"] = [float(v) for v in conf]  # NaN where not determined, as impedance.py writes it
        with open(filepath, "w") as f:
            json.dump(data, f)

    def load(self, filepath: Any, fitted_as_initial: bool = False) -> None:
        """Reads a model saved by :meth:`save` or by impedance.py into this object (its name, circuit,
        initial guess, constants and, if the file holds a fit, ``parameters_`` and ``conf_``).
        ``fitted_as_initial=True``: the fitted parameters become the initial guess and the model is
        unfitted, ready to fit again (e.g. the next spectrum of a series). Unlike impedance.py it checks
        the file's values against the circuit (``ValueError``), clears a previous fit it does not
        replace, and prints nothing.

        >>> import os, tempfile
        >>> f = np.logspace(5, -1, 30)
        >>> z = CustomCircuit("R0-p(R1,C1)", initial_guess=[10.0, 100.0, 1e-6]).predict(f, use_initial=True)
        >>> path = os.path.join(tempfile.mkdtemp(), "fit.json")
        >>> CustomCircuit("R0-p(R1,C1)", initial_guess=[1.0, 10.0, 1e-5], name="cell 1").fit(f, z).save(path)
        >>> again = CustomCircuit()
        >>> again.load(path, fitted_as_initial=True)
        >>> again.name, again.parameters_ is None, np.round(again.initial_guess, 6).tolist()
        ('cell 1', True, [10.0, 100.0, 1e-06])
        """
        with open(filepath, "r") as f:
            data = json.load(f)
        circuit = str(data["Circuit String"]).replace(" ", "")
        initial = [float(v) for v in data["Initial Guess"]]
        constants = {str(k): float(v) for k, v in (data["Constants"] or {}).items()}
        params, impy_names = self._layout(circuit, len(initial), constants)
        parameters_ = conf_ = None
        if data["Fit"]:
            fitted = [float(v) for v in data["Parameters"]]
            if len(fitted) != len(initial):
                raise ValueError(f"{filepath}: {len(fitted)} fitted parameters for {len(initial)} free ones")
            if fitted_as_initial:
                initial = fitted
            else:
                parameters_ = np.array(fitted)
                conf = data.get("Confidence")
                conf_ = np.array([np.nan if v is None else float(v) for v in conf]) if conf is not None else None
        self.name = data["Name"]
        self.circuit, self.initial_guess, self.constants = circuit, initial, constants
        self._params, self._impy_names = params, impy_names
        self.parameters_, self.conf_, self.chi2_ = parameters_, conf_, None

    def __str__(self) -> str:
        names, units = self.get_param_names()
        out = f"\nName: {self.name}\nCircuit string: {self.circuit}\nFit: {self.parameters_ is not None}\n"
        if self.constants:
            out += "\nConstants:\n"
            for n, v in self.constants.items():
                out += f"  {n:>7} = {v:.2e}\n"
        out += "\nInitial guesses:\n"
        for n, u, v in zip(names, units, self.initial_guess):
            out += f"  {n:>7} = {v:.2e} [{u}]\n"
        if self.parameters_ is not None:
            out += "\nFit parameters:\n"
            conf = self.conf_ if self.conf_ is not None else [float("nan")] * len(names)
            for n, u, v, c in zip(names, units, self.parameters_, conf):
                out += f"  {n:>7} = {v:.2e}  (+/- {c:.2e}) [{u}]\n"
        return out

    def __repr__(self) -> str:
        return f"CustomCircuit({self.circuit!r}, fit={self.parameters_ is not None})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CustomCircuit):
            return NotImplemented
        same = lambda a, b: (a is None and b is None) or (a is not None and b is not None and np.array_equal(a, b))  # noqa: E731
        return (self.circuit == other.circuit and self.initial_guess == other.initial_guess
                and self.constants == other.constants and same(self.parameters_, other.parameters_))

    __hash__ = None  # type: ignore[assignment]
