"""The one exception type of spelab."""

from typing import Optional


class SpelabError(Exception):
    """An error from spelab, with the same message, file, line and kind as the CLI's JSON error.

    Attributes: ``message`` (the whole cause chain, as the CLI prints it), ``file`` and ``line`` (where
    spelab knows them, else None) and ``kind`` (``"input"``, ``"study"``, ``"parameters"``, ``"file"``
    or ``"error"``).

    >>> import spelab
    >>> try:
    ...     spelab.eis.CustomCircuit("R0-p(R1,X1)", initial_guess=[1, 2, 3]).predict([1.0])
    ... except spelab.SpelabError as e:
    ...     print(e.kind)
    error
    """

    def __init__(self, message: str, file: Optional[str] = None, line: Optional[int] = None,
                 kind: str = "error") -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.kind = kind
