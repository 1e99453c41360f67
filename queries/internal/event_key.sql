-- Which 32-bit key stands for an event id? Its first 8 hex digits. `event_keys` holds one per event, so that an
-- append can learn whether its events are already logged without reading every id (logged_event_ids).
create or replace macro timeline_internal.event_key(event_id) as ('0x' || left(event_id, 8))::uinteger
