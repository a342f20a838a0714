"""Times the Python peer readers on the given files: best and median wall time of N reads.

Used by scripts/bench-readers; prints one JSON list of {file, reader, rows, best_s, median_s}.
.mpr files: galvani (BioLogic.MPRfile). .nda/.ndax files: NewareNDA.read and fastnda.read.
"""

import json
import statistics
import sys
import time


def readers_for(path):
    if path.lower().endswith(".mpr"):
        from galvani import BioLogic

        return [("galvani", lambda: len(BioLogic.MPRfile(path).data))]
    import NewareNDA
    import fastnda

    return [
        ("NewareNDA", lambda: len(NewareNDA.read(path, log_level="ERROR"))),
        ("fastnda", lambda: len(fastnda.read(path))),
    ]


def main():
    repeat = int(sys.argv[1])
    out = []
    for path in sys.argv[2:]:
        for name, run in readers_for(path):
            times, rows = [], None
            for _ in range(repeat):
                t0 = time.perf_counter()
                rows = run()
                times.append(time.perf_counter() - t0)
            out.append(
                {
                    "file": path,
                    "reader": name,
                    "rows": rows,
                    "best_s": min(times),
                    "median_s": statistics.median(times),
                }
            )
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
