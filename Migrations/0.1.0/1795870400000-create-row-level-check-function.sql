-- The function a record write calls for a row it would leave outside the caller's row-level permissions (PostgreSQL
-- RLS's WITH CHECK): it raises insufficient_privilege (42501), which the record error mapping turns into Twenty's
-- PERMISSION_DENIED (403, FORBIDDEN over GraphQL), and the whole statement writes nothing. Volatile, so PostgreSQL
-- calls it only for the rows that reach it. Idempotent (CREATE OR REPLACE).
-- atrium:up
CREATE OR REPLACE FUNCTION core."atrium_refuse_row_outside_role"() RETURNS boolean LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
    RAISE EXCEPTION 'The record would fall outside the row-level permissions of the role' USING ERRCODE = '42501';
END
$fn$;
-- atrium:down
DROP FUNCTION IF EXISTS core."atrium_refuse_row_outside_role"();
