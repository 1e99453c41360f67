"""The SQL of the store: numbered migrations, table macros and views, one object per file."""
