"""Reference values of the Arbin auxiliary channels of aux_multi_x.res (and aux_one_x_dx.res) from
mdbtools' `mdb-export` (the tool galvani's res2sqlite and cellpy shell out to), joined the way cellpy
does: one column per (Auxiliary_Index, Data_Type), left-joined to Channel_Normal_Table on Data_Point.

Usage: python3 gen_aux_expected.py FILE.res > FILE_mdbtools.json   (mdbtools 1.0, Debian package)
"""
import csv
import io
import json
import subprocess
import sys


def table(path, name):
    out = subprocess.run(["mdb-export", path, name], check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def main(path):
    normal = table(path, "Channel_Normal_Table")
    aux = table(path, "Auxiliary_Table")
    names = table(path, "Aux_Global_Data_Table")
    keys = sorted((int(r["Test_ID"]), int(r["Data_Point"])) for r in normal)
    row = {k: i for i, k in enumerate(keys)}
    channels = {}
    for r in aux:
        k = (int(r["Test_ID"]), int(r["Data_Point"]))
        ch = channels.setdefault((int(r["Auxiliary_Index"]), int(r["Data_Type"])), {"X": {}, "dX_dt": {}})
        for field in ("X", "dX_dt"):
            if r.get(field, "") != "":
                ch[field][row[k]] = float(r[field])
    out = {"file": path.rsplit("/", 1)[-1], "rows": len(keys), "aux_records": len(aux), "channels": []}
    for (index, kind), ch in sorted(channels.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        unit = next((n["Unit"] for n in names if int(n["Auxiliary_Index"]) == index and int(n["Data_Type"]) == kind), "")
        entry = {"index": index, "data_type": kind, "unit": unit}
        for field, values in ch.items():
            if not values:
                continue
            rows = sorted(values)
            v = [values[i] for i in rows]
            entry[field] = {"n": len(v), "first": [rows[0], v[0]], "last": [rows[-1], v[-1]],
                            "min": min(v), "max": max(v), "sum": sum(v),
                            "every_500th": [[i, values[i]] for i in rows[::500]]}
        out["channels"].append(entry)
    json.dump(out, sys.stdout, indent=1)
    print()


main(sys.argv[1])
