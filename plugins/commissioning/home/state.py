"""build-state.json: what the hourly build compares, to publish nothing when nothing would change.

A site built from the same files shows the same thing until the clock moves it on: an opportunity's
status changes at set moments, and award statuses, day counts and late returns change with the date
(UK time). So the state is the inputs' digest, the site's address, today's date and every
opportunity's status. When the published state equals the one worked out now, a rebuild would
publish the same site, apart from the "status worked out at" time, which stays true.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..load.fields import UK
from ..open_data.files import OutputFile

FILE = "build-state.json"
PROJECT = Path(__file__).resolve().parents[3]  # the folder with plugins/, theme/ and the settings files
# What the site is made from, besides data/ and content/: the code, the theme and their pinned dependencies.
CODE = ("plugins", "theme", "pelicanconf.py", "publishconf.py", "requirements.txt", "requirements-test.txt", "package-lock.json")
SKIPPED = ("__pycache__", ".pytest_cache")
GENERATED = ("theme/static/build",)  # made from theme/sass and theme/js, which are hashed


def _files(folder: Path, project: Path):
    if folder.is_file():
        yield folder
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(project).as_posix() if path.is_relative_to(project) else ""
        if path.is_file() and not any(part in SKIPPED for part in path.parts) and not relative.startswith(GENERATED):
            yield path


def inputs_digest(data_dir: Path, content_dir: Path, project: Path = PROJECT) -> str:
    """One digest of every file the site is made from: each file's path (as seen from its folder) and bytes."""
    digest = hashlib.sha256()
    roots = [("data", data_dir), ("content", content_dir), *((name, project / name) for name in CODE)]
    for label, root in roots:
        if not root.exists():
            continue
        for path in _files(root, project):
            name = label if path == root else f"{label}/{path.relative_to(root).as_posix()}"
            digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def state(site) -> dict:
    """The state of a site: what it is made from, where it is published, and what the clock has made of it."""
    config = site.settings
    return {
        "inputs": inputs_digest(config.data_dir, config.content_dir),
        "site_url": config.site_url,
        "day": site.now.astimezone(UK).date().isoformat(),
        "statuses": {o.id: o.status for o in sorted(site.opportunities, key=lambda o: o.id)},
    }


def encode(value: dict) -> bytes:
    return (json.dumps(value, indent=1, sort_keys=True) + "\n").encode()


def files(site, files_so_far) -> list[OutputFile]:
    return [OutputFile(FILE, encode(state(site)))]
