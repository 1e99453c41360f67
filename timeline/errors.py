"""The errors stance-timeline raises on purpose; anything else is a bug."""


class TimelineError(Exception):
    """Base of every error the project raises on purpose."""


class DateError(TimelineError):
    """A date phrase that cannot be turned into an honest interval."""


class InputError(TimelineError):
    """A line of input that cannot become a registry entry or an event."""


class StoreError(TimelineError):
    """The store cannot be opened, read or written as asked."""


class StoreMissing(StoreError):
    """No store exists at the given path."""


class StoreLocked(StoreError):
    """Another process holds the store's write lock."""


class SchemaError(StoreError):
    """The store's schema version is not one this version can use."""


class ReadOnlyError(StoreError):
    """Ad-hoc SQL tried to change the store."""
