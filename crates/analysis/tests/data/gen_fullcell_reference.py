"""Reference half-cycle capacities of real GCPL files, computed by navani (the-grey-group/navani).

Writes fullcell_reference.json beside this script: values only, no file content (the GCPL files come from
../shared/data/instruments/ and some are GPL-3.0; they are never copied into the repository).

Run with:  python -m venv /tmp/peers && /tmp/peers/bin/pip install navani==0.1.22
           /tmp/peers/bin/python gen_fullcell_reference.py [/path/to/shared/data/instruments]

navani 0.1.22 conventions (reading .mpr through datalab-org-galvani 0.6.0) and how spelab's differ:
- Current: EC-Lab's I/mA when stored, else dQ/dt from the dq column (as spelab-io derives it).
- State: sign of the current, exactly zero = rest ('R'); spelab calls a point at rest when
  |I| <= 1 % of max |I| (SplitOptions default). On these files both give the same active points.
- Half cycle: navani numbers half cycles from 1 at each change of sign among non-rest points; rest
  points keep the number of the half cycle before them. spelab's HalfCycle is the run of active points
  only, numbered from 0. Here "half_cycles" lists navani's half cycles in order, so entry k is spelab's
  half_cycles()[k].
- Capacity: navani takes |Q charge/discharge| (EC-Lab's per-half-cycle charge counter), i.e. the sum of
  |dq| over the half cycle's points; spelab sums the instrument's |dq| over the same points.
- Full cycle: navani's full cycle n = half cycles 2n-1 and 2n, whichever direction comes first, and its
  "CE" is Charge Capacity / Discharge Capacity. spelab's full-cell step starts a cycle at each charge
  (cathode charged first) and reports CE = Q_discharge / Q_charge. So for a file that starts with a
  charge, spelab CE = 1 / navani CE of the same cycle; for one that starts with a discharge (jdb11), the
  leading discharge is spelab's cycle 1 on its own and navani's cycles are shifted against spelab's.
  The test compares half cycles, and recomputes CE from them in spelab's convention.
"""
import json
import sys
from pathlib import Path

import navani
import navani.echem as ec
from importlib.metadata import version

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[5] / "shared/data/instruments"
FILES = [
    "biologic/jdb11-1_c3_gcpl_5cycles_2V-3p8V_C-24_data_C09.mpr",
    "biologic/gcpl.mpr",
    "biologic/gcpl.issue_149.mpr",
]

out = {"generator": f"navani {version('navani')} echem_file_loader + cycle_summary", "files": {}}
for rel in FILES:
    df = ec.echem_file_loader(str(ROOT / rel))
    active = df[df["state"] != "R"]
    halves = []
    for h, g in active.groupby("half cycle"):
        halves.append({
            "navani_half_cycle": int(h),
            "direction": "charge" if g["state"].iloc[0] == 0 else "discharge",
            "points": int(len(g)),
            "capacity_mah": float(g["Capacity"].max()),
        })
    summary = ec.cycle_summary(df)
    cycles = []
    for n, row in summary.iterrows():
        if n == 0:
            continue
        cycles.append({
            "navani_full_cycle": int(n),
            "charge_capacity_mah": None if row["Charge Capacity"] != row["Charge Capacity"] else float(row["Charge Capacity"]),
            "discharge_capacity_mah": None if row["Discharge Capacity"] != row["Discharge Capacity"] else float(row["Discharge Capacity"]),
            "navani_ce_charge_over_discharge": None if row["CE"] != row["CE"] else float(row["CE"]),
        })
    out["files"][rel] = {"half_cycles": halves, "navani_cycle_summary": cycles}

path = Path(__file__).with_name("fullcell_reference.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}")
