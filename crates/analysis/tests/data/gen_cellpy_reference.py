"""Per-cycle charge and discharge capacities of real cycling files, computed by cellpy (jepegit/cellpy).

Writes cellpy_reference.json beside this script: values only, no file content (the files come from
../shared/data/instruments/ and are never copied into the repository).

Run with:  python -m venv /tmp/cellpy-venv && /tmp/cellpy-venv/bin/pip install cellpy==1.0.3
           /tmp/cellpy-venv/bin/python gen_cellpy_reference.py [/path/to/shared/data/instruments]

What cellpy 1.0.3 reads of the corpus's cycling files (tried on every GCPL-like file):
- bdf/batmo_bdf.csv (instrument "batmo_bdf"): read. cellpy cumulates the file's per-step capacity within
  each cycle_index; its summary takes the largest value per cycle. Kept.
- neware/navani_test.ndax (instrument "neware_nda"): read. The summary takes Neware's own capacity
  counter, which the instrument integrates at its internal rate: it differs from the trapezoid of the
  logged current by ~5e-4 relative, and spelab-io does not read that counter (it integrates the current),
  so this file is kept with its own, looser tolerance (see instrument_files.rs).
- neware/TestFile.nda: read, but its cycle_index splits charge from discharge differently from the
  current's sign (cellpy reports 155.9 mAh charge against 5.8 Ah of positive current): not comparable.
- biologic/*.mpr (instrument "biologics_mpr"): cellpy 1.0.3's reader fails on these files
  ("Unrecognised version for data module: 3" for gcpl.mpr and jdb11...mpr, "No data module!" for
  gcpl.issue_149.mpr); navani gives the BioLogic values instead (fullcell_reference.json).
- arbin/*.res: needs mdbtools (mdb-export), not installed; maccor/maccor_two.txt: pandas ParserError.

Units: stored in mAh. cellpy's summary is in the loader's raw capacity unit: Ah for batmo_bdf, mAh for
neware_nda (its raw data carry `capacity_mAh`, although `raw_units` says Ah; checked against the
integral of the logged current, which agrees to 5e-4, not to a factor 1000).

Sign: batmo_bdf's summary names the capacity of the negative-current half-cycles "charge" (spelab names a
half-cycle by the sign of its current); the Rust test swaps the two for that file.
"""
import json
import logging
import sys
import warnings
from importlib.metadata import version
from pathlib import Path

import cellpy

warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)

ROOT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[5] / "shared/data/instruments"
# (file, cellpy instrument, factor from the summary's unit to mAh)
FILES = [("bdf/batmo_bdf.csv", "batmo_bdf", 1000.0), ("neware/navani_test.ndax", "neware_nda", 1.0)]

out = {"generator": f"cellpy {version('cellpy')} cellpy.get(...).data.summary", "files": {}}
for rel, instrument, to_mah in FILES:
    c = cellpy.get(str(ROOT / rel), instrument=instrument)
    s = c.data.summary
    cycles = []
    for n, row in s.iterrows():
        cycles.append({
            "cycle_index": int(n),
            "charge_capacity_mah": float(row["charge_capacity"]) * to_mah,
            "discharge_capacity_mah": float(row["discharge_capacity"]) * to_mah,
            "coulombic_efficiency_percent": None if row["coulombic_efficiency"] != row["coulombic_efficiency"] else float(row["coulombic_efficiency"]),
        })
    out["files"][rel] = {"instrument": instrument, "rows": int(len(c.data.raw)), "cycles": cycles}

path = Path(__file__).with_name("cellpy_reference.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}")
