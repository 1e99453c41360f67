-- The events of one slice (`slide_events`, a CTE of events_query's rows put before this statement) as the slides of
-- a TimelineJS export, in seq order, each written as Python's json.dumps writes it (", " and ": " between keys,
-- non-ASCII as it is). TimelineJS reads a headline and a text as HTML, so what was said is escaped as Python's
-- html.escape escapes it; a date object leaves out what the precision does not know; a week, range or quarter
-- carries its last day as end_date.
select '{' || concat_ws(', ',
    '"start_date": {"year": "' || year(day) || '"'
        || if(date_precision <> 'year', ', "month": "' || month(day) || '"', '')
        || if(date_precision not in ('year', 'month'), ', "day": "' || day(day) || '"', '') || '}',
    '"text": {"headline": ' || timeline_internal.json_text(
        html[1] || ': ' || replace(stance, '_', ' ')
        || if(actor_id = subject_id, '', ' (a ' || kind || ' about ' || html[2] || ')')
    ) || ', "text": ' || timeline_internal.json_text(
        if(coalesce(quote, '') <> '', '<p>&ldquo;' || html[3] || '&rdquo;</p>', '')
        || '<p>' || html[4] || '</p><p>Source: ' || html[5] || ', ' || source_id || '. Date as written: &ldquo;'
        || html[6] || '&rdquo; (' || date_precision || ').</p>'
    ) || '}',
    '"group": ' || timeline_internal.json_text(subject),
    '"unique_id": ' || timeline_internal.json_text(event_id),
    '"display_date": "' || case
        when occurred_from is null then 'on or before ' || occurred_to
        when occurred_from = occurred_to then occurred_from::varchar
        when date_precision = 'month' then monthname(occurred_from) || ' ' || year(occurred_from)
        else occurred_from || ' to ' || occurred_to
    end || '"',
    if(date_precision in ('week', 'range', 'quarter') and occurred_from is not null,
       '"end_date": {"year": "' || year(occurred_to) || '", "month": "' || month(occurred_to) || '", "day": "'
       || day(occurred_to) || '"}', null)
) || '}' as slide
from (
    select
        *,
        coalesce(subject_name, subject_id) as subject,
        -- html[1] to html[6]: the actor's name, the subject's, the quote, the summary, the outlet, the date as written
        list_transform(
            [coalesce(actor_name, actor_id), coalesce(subject_name, subject_id), quote, summary, outlet, date_text],
            text -> replace(replace(replace(replace(replace(
                text, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#x27;')
        ) as html,
        coalesce(occurred_from, occurred_to) as day
    from slide_events
) as slide
order by seq
