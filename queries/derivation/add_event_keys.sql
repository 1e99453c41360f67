-- Key the events logged after seq $1, sorted, so that each append adds row groups its keys' zone maps narrow.
insert into timeline_internal.event_keys
select timeline_internal.event_key(event_id) from events where seq > $1 order by all
