"""Hashed URLs of the theme's built CSS and JavaScript, for the Jinja global `asset`.

tools/build_assets.mjs writes theme/static/build/manifest.json, mapping logical
names to content-hashed files ({"app.css": "build/app.1a2b3c4d.css"}); Pelican
copies theme/static/ to output/<THEME_STATIC_DIR>/. Templates write
`{{ SITEURL }}/{{ asset('app.css') }}`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

MANIFEST = Path("build") / "manifest.json"
DEFAULT_STATIC_DIR = Path(__file__).resolve().parents[3] / "theme" / "static"
BUILD_HINT = "run `make site` (or `node tools/build_assets.mjs`) to build the theme's CSS and JavaScript"


class AssetError(LookupError):
    """A built asset, or the manifest listing them, is missing."""


def read_manifest(static_dir: Path) -> dict[str, str]:
    """Read the manifest and check that every file it names exists."""
    path = static_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AssetError(f"{path} does not exist: {BUILD_HINT}") from None
    except json.JSONDecodeError as error:
        raise AssetError(f"{path} is not valid JSON ({error}): {BUILD_HINT}") from None
    if not isinstance(manifest, dict):
        raise AssetError(f"{path} should map asset names to files: {BUILD_HINT}")
    for name, file in manifest.items():
        # Only plain relative paths inside the static folder, never "../" or "/x".
        if not isinstance(file, str) or file.startswith("/") or ".." in Path(file).parts:
            raise AssetError(f"{path}: {name!r} maps to {file!r}, not a path inside {static_dir}")
        if not (static_dir / file).is_file():
            raise AssetError(f"{path} lists {file} for {name!r} but the file is missing: {BUILD_HINT}")
    return manifest


def asset_function(static_dir: Path | str = DEFAULT_STATIC_DIR, static_url: str = "theme") -> Callable[[str], str]:
    """Make `asset(name)` for a theme: the URL path, below SITEURL, of a built asset.

    `static_url` is Pelican's THEME_STATIC_DIR. The manifest is read on the
    first call, not before, so commands that render nothing need no built assets.
    """
    static_dir = Path(static_dir)
    manifest: dict[str, str] = {}

    def asset(name: str) -> str:
        if not manifest:
            manifest.update(read_manifest(static_dir))
        try:
            file = manifest[name]
        except KeyError:
            known = ", ".join(sorted(manifest)) or "none"
            raise AssetError(
                f"no built asset named {name!r} in {static_dir / MANIFEST} (it has: {known}); {BUILD_HINT}"
            ) from None
        return f"{static_url.strip('/')}/{file}" if static_url.strip("/") else file

    return asset


#: `asset()` for this repository's theme, with Pelican's default THEME_STATIC_DIR.
asset_url = asset_function()
