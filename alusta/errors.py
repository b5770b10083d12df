"""The error tree: every library error is an AlustaError with a one-sentence reason.

The CLI turns these into click errors and the endpoint maps them to status codes in one
table; nothing below the edges formats output for a person.
"""


class AlustaError(Exception):
    """Base of every error Alusta raises on purpose."""


class ConfigError(AlustaError):
    """pelicanconf.py, a pilot.toml or an environment setting is wrong."""


class ContentError(AlustaError):
    """One or more content files are invalid; `problems` lists each with file and line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in content:\n" + "\n".join(problems)
        )


class BuildError(AlustaError):
    """Pelican failed to build a site."""
