from typing import Optional

class SpelabError(Exception):
    message: str
    file: Optional[str]
    line: Optional[int]
    kind: str
    def __init__(self, message: str, file: Optional[str] = ..., line: Optional[int] = ..., kind: str = ...) -> None: ...
