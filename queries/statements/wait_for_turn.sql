-- Wait for a lake's turn to write (lake.LakeConnection.begin): a PostgreSQL advisory lock taken in the catalog's own
-- transaction, so it is held until this write commits or rolls back and writers queue instead of redoing work.
-- Its parameter: how long to wait, in milliseconds. 1953057893 is 'tiLe' as an integer, the timeline's own key;
-- __ducklake_metadata_lake is the catalog of the lake attached as "lake" (lake.CATALOG).
call postgres_execute(
    '__ducklake_metadata_lake',
    'set local lock_timeout = ' || ? || '; select pg_advisory_xact_lock(1953057893)'
)
