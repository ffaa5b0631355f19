"""The project's exception tree, translated at every boundary.

PolicyQAError
├── InputError          bad input from a user: empty, binary, undecodable, malformed files
│   └── NotFound        a document, clause or unit asked for by id that does not exist
├── ConfigurationError  settings that cannot work (a missing corpus path, a missing token)
│   └── IndexUnavailable  no index, or one that is truncated, altered or built for another model
├── DataError           project data files (lexicons, alias tables) that are missing or invalid
└── QualityError        an evaluation fell below its quality floors

The CLI prints ``str(error)`` and exits with ``error.exit_code``; the API and the bot translate
the same classes into their own shapes.
"""

from __future__ import annotations


class PolicyQAError(Exception):
    """Base of every error the project raises on purpose."""

    exit_code = 1


class InputError(PolicyQAError):
    """The input cannot be used as given (empty, binary, undecodable, malformed)."""

    exit_code = 2


class NotFound(InputError):
    """A document, clause or unit asked for by its id does not exist."""


class ConfigurationError(PolicyQAError):
    """A setting is missing or points at something that does not exist."""

    exit_code = 3


class IndexUnavailable(ConfigurationError):
    """The index folder is missing, damaged, or does not match the configured model."""


class DataError(PolicyQAError):
    """A data file shipped with the project is missing or invalid."""

    exit_code = 4


class QualityError(PolicyQAError):
    """An evaluation scored below the floors a release must keep."""

    exit_code = 5
