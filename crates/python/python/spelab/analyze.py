"""One analysis step on measured files, as ``spelab analyze KIND FILE...``: ``spelab.analyze.<kind>``
for every step kind of ``spelab steps`` (dashes as underscores: ``spelab.analyze.lsv_onset``), each
returning the metric records of metrics.json (a list of dicts: ``id``, ``value``, ``unit``,
``uncertainty``, ``display``, ``method``, ...).

Options are the step's options as keyword arguments, values as in a study file (``area="1 cm2"``,
``temperatures=["0 degC", "40 degC"]``); several files go to steps that take ``files = [...]``.

>>> metrics = spelab.analyze.ccd("staircase.csv", area="1 cm2")  # doctest: +SKIP
>>> metrics[0]["id"], metrics[0]["display"]  # doctest: +SKIP
('critical_current_density', '0.60 mA/cm²')
"""

import json
import os
from typing import Any, Callable, Dict, List, Optional, Union

from . import _native
from ._errors import SpelabError

PathLike = Union[str, "os.PathLike[str]"]

#: Step kind names, ``spelab steps`` order.
KINDS: List[str] = [name for name, _ in _native.step_kinds()]


def run(kind: str, *files: PathLike, material: str = "pvh-im", out: Optional[PathLike] = None,
        **options: Any) -> List[Dict[str, Any]]:
    """Runs step ``kind`` on ``files`` with ``options``; returns its metric records. ``out``: the run
    directory (figures, report.html); None runs into a temporary folder. A failing step raises
    :class:`spelab.SpelabError` with the step's message."""
    opts = [(k, json.dumps(v)) for k, v in options.items()]
    doc = json.loads(_native.analyze(kind, [os.fspath(f) for f in files], material, opts,
                                     None if out is None else os.fspath(out)))
    if doc["failed"]:
        step, message = doc["failed"][0]
        raise SpelabError(f"step {step}: {message}")
    return doc["metrics"]


def _step(kind: str) -> Callable[..., List[Dict[str, Any]]]:
    summary = dict(_native.step_kinds())[kind]

    def step(*files: PathLike, material: str = "pvh-im", out: Optional[PathLike] = None,
             **options: Any) -> List[Dict[str, Any]]:
        return run(kind, *files, material=material, out=out, **options)

    step.__name__ = kind.replace("-", "_")
    step.__qualname__ = step.__name__
    step.__doc__ = (f"``{kind}``: {summary}\n\nThe metric records of metrics.json; options as in the "
                    f"step's study table (``spelab steps {kind}``).")
    return step


for _kind in KINDS:
    globals()[_kind.replace("-", "_")] = _step(_kind)

__all__ = ["run", "KINDS"] + [k.replace("-", "_") for k in KINDS]
