-- How many staged lines must the line-by-line path read instead? Those that are not objects, or that hold escapes
-- DuckDB and Python's json do not decode or write alike (control characters as \u00XX, surrogates outside a pair).
select count(*) from staged_lines
where json_type(json) <> 'OBJECT'
    or contains(json::varchar, '\u') and (
        regexp_matches(json::varchar, '\\u00[01]')
        or len(regexp_extract_all(json::varchar, '\\u[dD][89a-fA-F]'))
            <> 2 * len(regexp_extract_all(json::varchar, '\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F]'))
    )
