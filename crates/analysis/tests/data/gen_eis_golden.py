"""Golden values for spelab's EIS engine, produced by impedance.py 1.7.1 (MIT).

Run:  python3 -m venv venv && venv/bin/pip install impedance==1.7.1 pandas && venv/bin/python gen_eis_golden.py
Writes (next to this script):
  eis_elements_golden.json  every element (and a few nested circuits) evaluated at test frequencies
  eis_fit_reference.json    impedance.py's fits of impedancepy_exampleData.csv (tutorial window and
                            guess), full precision, plus 40 seeded random starts and whether
                            impedance.py reached the optimum from each.
"""
import json
import os

import numpy as np
from impedance import preprocessing
from impedance.models.circuits import CustomCircuit

HERE = os.path.dirname(os.path.abspath(__file__))

freq = np.logspace(-3, 6, 19)
cases = [
    ("R1", [12.5]),
    ("C1", [3.3e-6]),
    ("L1", [2.2e-7]),
    ("CPE1", [4.7e-5, 0.83]),
    ("La1", [1.5e-6, 0.9]),
    ("W1", [35.0]),
    ("Wo1", [50.0, 2.5]),
    ("Ws1", [50.0, 2.5]),
    ("G1", [20.0, 0.01]),
    ("Gs1", [20.0, 0.01, 1.7]),
    ("K1", [7.0, 1e-3]),
    ("Zarc1", [30.0, 1e-3, 0.8]),
    ("TLMQ1", [40.0, 2e-4, 0.9]),
    ("R0-p(R1,CPE1)-Wo1", [0.016, 0.015, 3.9, 0.62, 0.13, 1177.0]),
    ("R0-p(R1,C1)-p(R2-Wo1,C2)", [0.0165, 0.0087, 3.32, 0.0054, 0.063, 232.5, 0.22]),
    ("p(R1-p(R2,CPE2),C1)-L1-Zarc1", [100.0, 50.0, 1e-5, 0.7, 1e-9, 1e-6, 20.0, 1e-4, 0.9]),
]
out = []
for circuit, params in cases:
    z = CustomCircuit(circuit, initial_guess=params).predict(freq, use_initial=True)
    out.append({"circuit": circuit, "params": params, "frequency": freq.tolist(),
                "re": z.real.tolist(), "im": z.imag.tolist()})
with open(os.path.join(HERE, "eis_elements_golden.json"), "w") as fh:
    json.dump(out, fh, indent=1)

f, Z = preprocessing.readCSV(os.path.join(HERE, "impedancepy_exampleData.csv"))
f, Z = preprocessing.ignoreBelowX(f, Z)


def fit(circuit, guess, **kw):
    c = CustomCircuit(circuit, initial_guess=guess)
    c.fit(f, Z, **kw)
    pred = c.predict(f)
    ssr = float(np.sum((pred.real - Z.real) ** 2 + (pred.imag - Z.imag) ** 2))
    pseudo = float(np.sum(((pred.real - Z.real) ** 2 + (pred.imag - Z.imag) ** 2) / np.abs(Z) ** 2))
    return c, ssr, pseudo


ref = {"n_points": int(len(f)), "fits": [], "random_starts": []}
setups = [
    ("R0-p(R1,C1)-p(R2-Wo1,C2)", [0.01, 0.01, 100, 0.01, 0.05, 100, 1], {}),
    ("R0-p(R1,C1)-p(R2-Wo1,C2)", [0.01, 0.01, 100, 0.01, 0.05, 100, 1], {"weight_by_modulus": True}),
    ("R0-p(R1,CPE1)-Wo1", [0.01, 0.01, 1, 0.9, 0.05, 100], {}),
]
for circuit, guess, kw in setups:
    c, ssr, pseudo = fit(circuit, guess, **kw)
    ref["fits"].append({"circuit": circuit, "initial": guess, "weight_by_modulus": bool(kw),
                        "params": c.parameters_.tolist(), "std_errors": c.conf_.tolist(),
                        "ssr": ssr, "pseudo_chi2": pseudo})

circuit, guess = setups[0][0], np.array(setups[0][1], dtype=float)
best_ssr = ref["fits"][0]["ssr"]
rng = np.random.default_rng(0)
for trial in range(40):
    start = guess * 10.0 ** rng.uniform(-2, 2, size=len(guess))
    try:
        _, ssr, _ = fit(circuit, start.tolist())
    except Exception:  # impedance.py raises on some starts
        ssr = float("inf")
    ref["random_starts"].append({"initial": start.tolist(), "impedancepy_ssr": ssr,
                                 "impedancepy_reached": bool(ssr <= 1.01 * best_ssr)})
with open(os.path.join(HERE, "eis_fit_reference.json"), "w") as fh:
    json.dump(ref, fh, indent=1)
print("impedance.py reached the optimum in",
      sum(r["impedancepy_reached"] for r in ref["random_starts"]), "of 40")
