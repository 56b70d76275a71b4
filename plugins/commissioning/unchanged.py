"""The unchanged command: whether a build now would publish what is already published (the hourly build's first step)."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

from . import settings as plugin_settings, settings_file as settings_file_reader
from .load import files
from .problems import DataError


def unchanged(settings_file: Path, published: str, overrides: dict | None = None) -> int:
    """0 when the published site's build-state.json is what a build now would make (nothing to publish), else 1.

    Anything that stops it telling (no published state yet, a problem in the data) counts as a change,
    so that the build runs and reports it.
    """
    from .derive.site import derive
    from .home import state
    from .load.loader import load_dataset

    try:
        if published.startswith(("https://", "http://")):
            with urllib.request.urlopen(f"{published.rstrip('/')}/{state.FILE}", timeout=30) as response:
                before = json.loads(response.read())
        else:
            before = json.loads((Path(published) / state.FILE).read_bytes())
    except (OSError, ValueError) as exc:
        return _changed(f"cannot read the published {state.FILE} ({exc}); building")
    try:
        config = plugin_settings.parsed(settings_file_reader.read(settings_file, overrides))
        if files.refused(config):
            return _changed("a file in data/ or content/ is refused; building, to report it")
        site = derive(load_dataset(config.data_dir, config.content_dir, config.root, now=config.now), config)
    except (DataError, plugin_settings.SettingsError):
        return _changed("the data has problems; building, to report them")
    now = state.state(site)
    differs = sorted(key for key in {*before, *now} if before.get(key) != now.get(key))
    if differs:
        return _changed(f"changed since the published build: {', '.join(differs)}")
    print("Nothing has changed since the published build: no status, page or file would change.")
    _github_output(changed="false")
    return 0


def _changed(why: str) -> int:
    print(why[0].upper() + why[1:] + ".")
    _github_output(changed="true")
    return 1


def _github_output(**values: str) -> None:
    """Step outputs for GitHub Actions (`steps.<id>.outputs.<name>`), when run there."""
    if path := os.environ.get("GITHUB_OUTPUT"):
        with open(path, "a", encoding="utf-8") as out:
            out.writelines(f"{name}={value}\n" for name, value in values.items())
