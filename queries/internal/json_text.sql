-- How does Python's json.dumps (ensure_ascii=False) write a text? As DuckDB's to_json does, but for the nine control
-- characters both write as \u00XX with a letter among the hex digits, which Python writes in lower case.
create or replace macro timeline_internal.json_text(text) as
    if(
        contains(to_json(text)::varchar, '\u00'),
        replace(replace(replace(replace(replace(replace(replace(replace(replace(to_json(text)::varchar,
            '\u000B', '\u000b'), '\u000E', '\u000e'), '\u000F', '\u000f'), '\u001A', '\u001a'), '\u001B', '\u001b'),
            '\u001C', '\u001c'), '\u001D', '\u001d'), '\u001E', '\u001e'), '\u001F', '\u001f'),
        to_json(text)::varchar
    )
