"""Times the Python peer readers on the given files: every wall time of N reads, best and median.

Used by scripts/bench-readers; prints one JSON list of {file, reader, rows, first_s, best_s, median_s,
times_s}. Each timed read is the reader's own entry point on the path (the file is read from disk,
i.e. the page cache, inside the timed region) and the result is freed before the clock stops; the
same is what `spelab bench read` reports as "from disk".
.mpr files: galvani (BioLogic.MPRfile, a numpy view of the raw records), "galvani+c" (the same plus
each of galvani's record fields converted to its own contiguous float64 array: the flags as one byte,
11 arrays for the 46k-row file), "galvani+16" (one float64 array per stored field with every flag its
own array through galvani's get_flag: the 16 columns `spelab bench read --stored` returns, the
equal-work comparison), and "py read", a bare read of the file's bytes. .nda/.ndax files: NewareNDA.read (at most 3 reads: it takes seconds
per read) and fastnda.read.
"""

import json
import statistics
import sys
import time


def readers_for(path):
    if path.lower().endswith(".mpr"):
        from galvani import BioLogic

        def galvani_columns():
            # What spelab returns: every field as its own contiguous float64 array.
            data = BioLogic.MPRfile(path).data
            columns = {name: data[name].astype("f8") for name in data.dtype.names}
            return len(next(iter(columns.values())))

        def galvani_fields():
            # What `spelab bench read --stored` returns: every stored field, each flag on its own.
            mpr = BioLogic.MPRfile(path)
            data = mpr.data
            columns = {name: data[name].astype("f8") for name in data.dtype.names if name != "flags"}
            columns.update({flag: mpr.get_flag(flag).astype("f8") for flag in mpr.flags_dict})
            return len(next(iter(columns.values())))

        def read_only():
            # The file alone: what any reader that reads the file pays at least.
            with open(path, "rb") as f:
                return len(f.read())

        return [
            ("galvani", lambda: len(BioLogic.MPRfile(path).data)),
            ("galvani+c", galvani_columns),
            ("galvani+16", galvani_fields),
            ("py read", read_only),
        ]
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
            # NewareNDA takes seconds per read: a few reads are enough to show it.
            for _ in range(min(repeat, 3) if name == "NewareNDA" else repeat):
                t0 = time.perf_counter()
                rows = run()
                times.append(time.perf_counter() - t0)
            out.append(
                {
                    "file": path,
                    "reader": name,
                    "rows": rows,
                    "first_s": times[0],
                    "best_s": min(times),
                    "median_s": statistics.median(times),
                    "times_s": times,
                }
            )
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
