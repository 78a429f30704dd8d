"""The project's one error tree.

    DashboardError                     anything this package raises on purpose
    ├── InputError (also ValueError)   bad input, with the file and line it came from
    │   ├── ArticleFormatError         an article file that cannot be read as an article
    │   └── GazetteerError             a gazetteer row or file that cannot be loaded
    ├── ConfigError (also ValueError)  a setting (environment variable) with an unusable value
    └── StoreError                     a store that cannot be opened or written
        └── StoreUnreachableError      a database server that cannot be reached or refuses the login

Messages name file and line the way compilers do: ``seeds/a.txt:1: what is wrong``.
Errors become user messages only at the edges (the CLI and the app).
"""

from __future__ import annotations


class DashboardError(Exception):
    """Root of every error this package raises on purpose."""


class InputError(DashboardError, ValueError):
    """Bad input; ``path`` and ``line`` say where (line is 1-based, None when unknown)."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class ArticleFormatError(InputError):
    """An article file that is not UTF-8 text with a ` date YYYY-MM[-DD]` first line."""


class GazetteerError(InputError):
    """A gazetteer file or row that cannot be loaded."""


class ConfigError(DashboardError, ValueError):
    """A setting that cannot be used, such as a size limit that is not a positive number."""


class StoreError(DashboardError):
    """A store that cannot be opened, migrated or written."""


class StoreUnreachableError(StoreError):
    """A store server that does not answer or refuses the login; the CLI exits with code 2."""
