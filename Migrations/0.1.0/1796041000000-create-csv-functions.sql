-- Cells of the CSV files record exports stream (GET /rest/<plural>/export): PostgreSQL writes each record as one line,
-- so the server only moves bytes. Both functions are inlined by the planner (one SELECT, IMMUTABLE).
--
-- atrium_csv_cell: a value as one CSV cell (RFC 4180): NULL is empty; a value holding a comma, a double quote, CR or
-- LF is quoted, its double quotes doubled.
-- atrium_csv_text: a text value as a cell, guarded against CSV injection as Twenty's export guards it: a value starting
-- with = + - @ tab or CR gets a leading zero-width joiner (U+200D), so spreadsheets do not read it as a formula; the
-- import removes it again.
-- atrium:up
CREATE OR REPLACE FUNCTION core.atrium_csv_cell(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN value IS NULL THEN ''
    WHEN strpos(value, ',') > 0 OR strpos(value, '"') > 0 OR strpos(value, E'\n') > 0 OR strpos(value, E'\r') > 0
      THEN '"' || replace(value, '"', '""') || '"'
    ELSE value
  END
$$;
CREATE OR REPLACE FUNCTION core.atrium_csv_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT core.atrium_csv_cell(CASE
    WHEN left(value, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN U&'\200D' || value
    ELSE value
  END)
$$;
-- atrium:down
DROP FUNCTION IF EXISTS core.atrium_csv_text(text);
DROP FUNCTION IF EXISTS core.atrium_csv_cell(text);
