"""Reads a settings file (pelicanconf.py, publishconf.py) as Pelican's `read_settings` does, without Pelican.

`check` and `unchanged` need only our settings (settings.py), and importing Pelican was a third of
`check`'s time. Of what Pelican does this keeps what our settings read: every upper-case name
the file sets, the overrides over them, PATH made absolute from the file's folder (the current
folder when unset), and SITEURL empty when unset. tests/test_settings_file.py checks that both
readers give the same settings.

When Pelican cannot read the file for a build, cli._settings reads it here to say why, so a file
that cannot run, or a PATH that is not a folder, gets the same one message from every command, never
Pelican's traceback.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
from pathlib import Path

from .settings import SettingsError, shown

PELICAN_PATHS = ("PATH", "OUTPUT_PATH", "THEME", "CACHE_PATH")  # what Pelican makes absolute from the file's folder


def read(settings_file: Path, overrides: dict | None = None) -> dict:
    """The settings the file sets, with overrides over them, as Pelican would read them for our settings."""
    settings = {**_settings_in(settings_file), **(overrides or {})}
    folder = os.path.dirname(os.path.abspath(settings_file))
    written = settings.get("PATH", os.curdir)  # the message quotes the path as staff wrote it
    for key in PELICAN_PATHS:
        if isinstance(settings.get(key), (str, os.PathLike)) and not os.path.isabs(settings[key]):
            absolute = os.path.abspath(os.path.normpath(os.path.join(folder, settings[key])))
            if key != "THEME" or os.path.exists(absolute):  # THEME may name one of Pelican's own themes
                settings[key] = absolute
    settings.setdefault("PATH", os.curdir)
    settings.setdefault("SITEURL", "")
    if not isinstance(settings["PATH"], (str, os.PathLike)) or not os.path.isdir(settings["PATH"]):
        raise SettingsError(f"PATH: {shown(written)} is not a folder; set it to the folder of the site's "
                            "Markdown pages, for example str(HERE / 'content')")
    return settings


def _settings_in(settings_file: Path) -> dict:
    """Every upper-case name the file sets, the file run as Pelican runs it (a module named for the file)."""
    name = Path(settings_file).stem
    try:
        spec = importlib.util.spec_from_file_location(name, settings_file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # as Pelican does: publishconf.py imports pelicanconf.py by name
        spec.loader.exec_module(module)
    except Exception as exc:  # anything the file's own code raises is a fault of the file, not a crash
        raise unreadable(_reason(exc, settings_file)) from exc
    return {key: value for key, value in vars(module).items() if key.isupper()}


def unreadable(reason: str) -> SettingsError:
    """The one message for a settings file that cannot be read, whoever found the fault (cli._settings too)."""
    return SettingsError(f"cannot be read as settings ({reason}); correct it, comparing it with the last version in git")


def _reason(exc: Exception, settings_file: Path) -> str:
    """What went wrong, at the line of the settings file it went wrong on when there is one."""
    if isinstance(exc, SyntaxError):
        return f"line {exc.lineno}: {exc.msg}"
    own = os.path.abspath(settings_file)
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__) if os.path.abspath(frame.filename) == own]
    said = f"{type(exc).__name__}: {exc}"
    return f"line {lines[-1]}: {said}" if lines else said
