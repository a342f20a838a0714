"""navani's Savitzky-Golay-smoothed capacity on a voltage grid (first stage of dqdv_single_cycle) for one
half-cycle of navani's own example file; writes dqdv_reference.json (values only, every 50th grid point).

Run with:  /tmp/peers/bin/python gen_dqdv_reference.py [/path/to/shared/data/instruments]  (navani==0.1.22)

Input: the second half-cycle (first charge) of jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr, active
points only (navani's half cycle 2 without its trailing rest points), capacity = cumulative |dQ| [mAh].
navani.echem.dqdv_single_cycle with its defaults: 10 000 grid points, savgol window 101, order 5; its
third return value (smooth_cap) is stored. Its later stages (FITPACK smoothing spline, second filter) are
not reproduced by spelab.
"""
import json
import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
import navani.echem as ec

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[5] / "shared/data/instruments"
REL = "biologic/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr"
df = ec.echem_file_loader(str(ROOT / REL))
g = df[(df["half cycle"] == 2) & (df["state"] != "R")]
cap = np.cumsum(np.abs(g["dQ/mA.h"].to_numpy()))
volt = g["Voltage"].to_numpy()
x, dqdv, smooth_cap = ec.dqdv_single_cycle(cap, volt)
step = 50
out = {
    "generator": f"navani {version('navani')} dqdv_single_cycle (smooth_cap)",
    "file": REL,
    "half_cycle_index": 1,
    "points": len(x),
    "window": 101,
    "order": 5,
    "every": step,
    "voltage_v": [float(v) for v in x[::step]],
    "smooth_capacity_mah": [float(v) for v in smooth_cap[::step]],
}
path = Path(__file__).with_name("dqdv_reference.json")
path.write_text(json.dumps(out) + "\n")
print(f"wrote {path}")
