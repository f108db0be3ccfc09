"""One registry for every loader, built-in or contributed.

Built-in loaders register with `@register`; other packages can add theirs through the
`rightsgraph.loaders` entry-point group without touching this code (the pyobo pattern).
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path

from .base import Loader, LoadError

_LOADERS: dict[str, Loader] = {}
_BUILTIN = ("upr_info", "ratification", "ccpr_followup", "reporting_obligations", "hrc_resolutions", "ohchr_matrix",
            "uhri", "ohchr_report", "cerd_decisions", "special_procedures", "curated")
_loaded = False


def register(cls: type[Loader]) -> type[Loader]:
    _LOADERS[cls.name] = cls()
    return cls


def _ensure() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in _BUILTIN:
        import_module(f"{__package__}.{module}")
    for ep in entry_points(group="rightsgraph.loaders"):
        register(ep.load())


def loaders() -> dict[str, Loader]:
    _ensure()
    return dict(_LOADERS)


def get(name: str) -> Loader:
    _ensure()
    try:
        return _LOADERS[name]
    except KeyError:
        known = ", ".join(sorted(_LOADERS))
        raise LoadError(name, "", f"no loader called {name!r} (known: {known})") from None


def detect(path: Path) -> Loader:
    """The loader that recognises `path`; a `LoadError` naming the file if none or several do."""
    _ensure()
    if not path.exists():
        raise LoadError(path, "", "no such file")
    if path.is_dir():
        raise LoadError(path, "", "is a directory; give the files inside it")
    if path.stat().st_size == 0:
        raise LoadError(path, "", "file is empty")
    try:
        matches = [ld for ld in _LOADERS.values() if ld.sniff(path)]
    except OSError as exc:
        raise LoadError(path, "", exc.strerror or str(exc)) from None
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(sorted(_LOADERS))
    if not matches:
        raise LoadError(path, "", f"format not recognised by any loader ({known}); name one with --format")
    names = ", ".join(ld.name for ld in matches)
    raise LoadError(path, "", f"several loaders recognise this file ({names}); name one with --format")
