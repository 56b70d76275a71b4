"""A document as an opportunity's page lists it: its link, its file type and, when it is published from
content/, its size ('Service specification', then 'PDF, 245 KB'), the GOV.UK way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FILE_TYPES = {
    ".pdf": "PDF", ".doc": "Word document", ".docx": "Word document", ".odt": "OpenDocument text",
    ".xls": "Excel spreadsheet", ".xlsx": "Excel spreadsheet", ".ods": "OpenDocument spreadsheet",
    ".csv": "CSV", ".ppt": "PowerPoint presentation", ".pptx": "PowerPoint presentation",
    ".rtf": "Rich text", ".txt": "Plain text", ".zip": "ZIP archive",
}


@dataclass
class DocumentInfo:
    """A document as the page lists it: 'Service specification' then 'PDF, 245 KB'."""

    title: str
    href: str  # a site path (documents/spec.pdf) or a full URL
    local: bool
    file_type: str | None
    size: str | None

    @property
    def meta(self) -> str:
        return ", ".join(part for part in (self.file_type, self.size) if part)


def file_size(size: int) -> str:
    """GOV.UK style: 850 bytes, 245 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def document_info(title: str, url: str, content_dir: Path) -> DocumentInfo:
    """A document's link, with its file type, and its size when it is published from content/."""
    if url.startswith(("http://", "https://")):
        suffix = Path(url.split("?")[0].split("#")[0]).suffix.lower()
        return DocumentInfo(title, url, False, FILE_TYPES.get(suffix), None)
    path = content_dir / url.lstrip("/")
    size = file_size(path.stat().st_size) if path.is_file() else None
    file_type = FILE_TYPES.get(path.suffix.lower(), path.suffix.lstrip(".").upper() or None)
    return DocumentInfo(title, url.lstrip("/"), True, file_type, size)
