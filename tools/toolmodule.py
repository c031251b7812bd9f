"""One of the scripts in ``tools/`` as a module.

``tools/`` is a folder of scripts, not a package, yet some reuse another's helpers (the blind corpus builder reuses
the independent corpus's git reading and reduction; the partial-answers measure reads the blind corpus through its
builder). Loading the script by path keeps one copy of each helper.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

TOOLS = Path(__file__).resolve().parent


def load(name: str) -> ModuleType:
    """``tools/<name>.py`` as the module ``name`` (loaded once per process)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"tools/{name}.py cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
