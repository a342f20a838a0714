import os
from typing import Any, Dict, Optional, Union

from . import analyze as analyze, distributed as distributed, eis as eis, simulate as simulate
from ._errors import SpelabError as SpelabError
from ._read import Recording as Recording, read as read

__version__: str

def run_study(path: Union[str, os.PathLike[str]], out: Optional[Union[str, os.PathLike[str]]] = ...) -> Dict[str, Any]: ...
