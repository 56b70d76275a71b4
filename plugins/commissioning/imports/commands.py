"""The import commands by name, as `python -m commissioning <name> ...` runs them (cli.main hands them here)."""

from __future__ import annotations

import argparse
import logging

from . import from_workbook, spend, threesixtygiving, workbook

COMMANDS = {
    "import-360giving": threesixtygiving,
    "import-spend": spend,
    "workbook": workbook,
    "import-workbook": from_workbook,
}


def main(name: str, argv: list[str]) -> int:
    """Parse a command's own arguments and run it; its exit code."""
    module = COMMANDS[name]
    parser = argparse.ArgumentParser(prog=f"python -m commissioning {name}", description=module.__doc__.splitlines()[0])
    module.add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    return module.run(args)
