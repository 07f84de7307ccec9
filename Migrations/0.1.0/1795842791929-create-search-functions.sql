-- Accent-insensitive full-text search: workspace tables compute "searchVector" with public.unaccent_immutable.
-- atrium:up
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE OR REPLACE FUNCTION public.unaccent_immutable(input text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, input) $$;
-- atrium:down
DROP FUNCTION public.unaccent_immutable(text);
