"""Lin-KK golden values from impedance.py 1.7.1 (MIT) on its example data.

Run:  venv/bin/python gen_eis_linkk.py   (same venv as gen_eis_golden.py)
impedance.py 1.7.1's linKK fails on numpy 2 (`NameError: np`, its issue #296); the one-line upstream
fix (PR #298) is applied below before calling it.
"""
import json
import os

import numpy as np
from impedance import preprocessing, validation
from impedance.models.circuits.elements import circuit_elements

circuit_elements["np"] = np  # upstream fix PR #298

HERE = os.path.dirname(os.path.abspath(__file__))
f, Z = preprocessing.readCSV(os.path.join(HERE, "impedancepy_exampleData.csv"))
f, Z = preprocessing.ignoreBelowX(f, Z)

cases = [
    {"f_max": 1000.0, "c": 0.5, "max_m": 100, "fit": "complex", "add_cap": True},
    {"f_max": None, "c": 0.85, "max_m": 50, "fit": "real", "add_cap": False},
    {"f_max": None, "c": 0.85, "max_m": 50, "fit": "imag", "add_cap": False},
    {"f_max": None, "c": 0.85, "max_m": 50, "fit": "complex", "add_cap": True},
]
out = []
for case in cases:
    keep = f < case["f_max"] if case["f_max"] else np.ones(len(f), bool)
    M, mu, Z_fit, res_re, res_im = validation.linKK(f[keep], Z[keep], c=case["c"], max_M=case["max_m"],
                                                   fit_type=case["fit"], add_cap=case["add_cap"])
    out.append(dict(case, m=int(M), mu=float(mu), n_points=int(keep.sum()),
                    residuals_real=res_re.tolist(), residuals_imag=res_im.tolist(),
                    fit_re=Z_fit.real.tolist(), fit_im=Z_fit.imag.tolist()))
    print(case, M, mu, np.max(np.abs(np.concatenate([res_re, res_im]))))
with open(os.path.join(HERE, "eis_linkk_reference.json"), "w") as fh:
    json.dump(out, fh, indent=1)
