"""GraphkitError and its few subclasses. Each carries a message fit to show a user."""


class GraphkitError(Exception):
    """Base of every error graphkit reports to a user (the CLI prints it and exits non-zero)."""


class CatalogueError(GraphkitError):
    """The catalogue is missing or a row of it is invalid; the message names the row."""


class DocumentError(GraphkitError):
    """One document cannot be read (missing, empty, binary); the others are still indexed."""


class StoreError(GraphkitError):
    """The store is missing, unreadable or locked by another build."""


class BadQuery(GraphkitError):
    """A search query or one of its filters cannot be run; the message is the reason, fit to show a user."""
