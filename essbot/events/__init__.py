"""Events: storing what announcements say, once per event, with every source."""

from essbot.events.store import ImportReport, import_document

__all__ = ["ImportReport", "import_document"]
