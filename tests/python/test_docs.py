"""The README's "From Python" example runs as written, and the docstring examples hold."""

import doctest
import os
import re

import numpy as np
import pytest

import spelab
import spelab.distributed
from conftest import REPO


def test_the_readme_example_runs_as_written(capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## From Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 1 and len(blocks[0].strip().splitlines()) <= 10
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        exec(compile(blocks[0], "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert "voltage_V" in out and "nan" not in out.lower()


@pytest.mark.parametrize("module", ["spelab", "spelab.eis", "spelab.simulate", "spelab._errors",
                                    "spelab.analyze", "spelab._read", "spelab.distributed"])
def test_docstring_examples(module):
    mod = __import__(module, fromlist=["_"])
    result = doctest.testmod(mod, extraglobs={"spelab": spelab, "np": np}, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
