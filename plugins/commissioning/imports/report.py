"""The report every import ends with: what was imported, what was defaulted, what was dropped and why,
and what a person should confirm. Each line counts its cases and names a few of them."""

from __future__ import annotations

from dataclasses import dataclass, field

SECTIONS = {
    "imported": "Imported",
    "defaulted": "Defaulted (filled in by the import: check them)",
    "changed": "Changed (written another way so the data contract accepts it)",
    "confirm": "To confirm (a person should check each one)",
    "kept": "Kept as staff left them",
    "dropped": "Dropped (not imported), and why",
}
EXAMPLES = 3  # cases named on a line before it says how many more


@dataclass
class Line:
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Counts by section and message, each with up to a few examples."""

    title: str
    sections: dict[str, dict[str, Line]] = field(default_factory=lambda: {name: {} for name in SECTIONS})

    def add(self, section: str, message: str, example: str | None = None, count: int = 1) -> None:
        line = self.sections[section].setdefault(message, Line())
        line.count += count
        if example and len(line.examples) < EXAMPLES and example not in line.examples:
            line.examples.append(example)

    def count(self, section: str, message: str) -> int:
        line = self.sections[section].get(message)
        return line.count if line else 0

    def text(self) -> str:
        out = [self.title]
        for name, heading in SECTIONS.items():
            lines = self.sections[name]
            if not lines:
                continue
            out.append(f"{heading}:")
            for message, line in lines.items():
                shown = ""
                if line.examples:
                    more = line.count - len(line.examples)
                    shown = ": " + ", ".join(line.examples) + (f" and {more} more" if more > 0 else "")
                out.append(f"  {line.count} {message}{shown}")
        return "\n".join(out)
