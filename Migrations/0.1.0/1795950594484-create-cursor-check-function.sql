-- The function a page statement calls when its cursor names a record that no longer exists: a cursor is a record id,
-- and once that record is destroyed its place in the order is unknown (an empty page would read as the end of the
-- list). It raises SQLSTATE AT001 with the message the client gets, which the record error mapping turns into a 400
-- (BAD_USER_INPUT over GraphQL). Volatile, so PostgreSQL calls it only when the CASE reaches it. Idempotent.
-- atrium:up
CREATE OR REPLACE FUNCTION core."atrium_refuse_cursor"(cursor text) RETURNS json LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
    RAISE EXCEPTION 'Invalid cursor ''%'': no record has this id any more (it was destroyed)', cursor USING ERRCODE = 'AT001';
END
$fn$;
-- atrium:down
DROP FUNCTION IF EXISTS core."atrium_refuse_cursor"(text);
