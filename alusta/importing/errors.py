"""Why an import stopped; the CLI shows the one sentence, nothing was written."""

from __future__ import annotations

from alusta.errors import AlustaError


class ImportFileError(AlustaError):
    """The export file is not readable XML/JSON of the expected kind (file, line, field)."""


class ImportConflict(AlustaError):
    """What the import would write collides with content that is already there."""


class MediaUnavailable(AlustaError):
    """A media file could be found neither in --uploads nor on the old site."""
