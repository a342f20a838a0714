"""Constructs ndc11_constructed.ndax: ndc16_46_1_5_60.ndax rewritten into the ndc version 11 layout
(no public ndc 11 sample is known). Same units as ndc 16 (0.1 mV, mA, mAs); runInfo entries repacked
from 100 to 47 bytes (84 per page from byte 132), step entries from 100 to 37 bytes (107 per page),
bitmasks set for the used entries, version byte 2 of every member set to 11. fastnda 1.3.1 reads the
result (gen_ndc_versions.py records its values), so the test checks spelab's ndc 11 decoding against
a peer tool on the layout both describe.

Usage: python make_ndc11.py
"""

import zipfile
from pathlib import Path

PAGE = 4096


def entries(ndc, start, size, tail):
    per = (PAGE - start - tail) // size
    for p in range(1, len(ndc) // PAGE):
        page = ndc[p * PAGE:(p + 1) * PAGE]
        for k in range(per):
            if page[4 + k // 8] >> (k % 8) & 1:
                yield page[start + k * size:start + (k + 1) * size]


def pages(header, items, size):
    per = (PAGE - 132 - 1) // size
    out = bytearray(header)
    out[2] = 11
    for i in range(0, max(len(items), 1), per):
        page = bytearray(PAGE)
        for k, item in enumerate(items[i:i + per]):
            page[4 + k // 8] |= 1 << (k % 8)
            page[132 + k * size:132 + (k + 1) * size] = item
        out += page
    return bytes(out)


def main():
    here = Path(__file__).parent
    src = zipfile.ZipFile(here / "ndc16_46_1_5_60.ndax")
    out = zipfile.ZipFile(here / "ndc11_constructed.ndax", "w", zipfile.ZIP_DEFLATED)
    for name in src.namelist():
        b = bytearray(src.read(name))
        if name == "data_runInfo.ndc":
            b = pages(b[:PAGE], [e[:47] for e in entries(b, 132, 100, 64)], 47)
        elif name == "data_step.ndc":
            b = pages(b[:PAGE], [e[:37] for e in entries(b, 132, 100, 64)], 37)
        elif name.endswith(".ndc"):
            b[2] = 11
        out.writestr(name, bytes(b))
    out.close()


if __name__ == "__main__":
    main()
