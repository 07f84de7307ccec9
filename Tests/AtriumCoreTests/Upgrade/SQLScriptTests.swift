import AtriumCore
import Testing

@Suite struct SQLScriptTests {
    @Test func splitsOnSemicolonsOutsideQuotesCommentsAndDollarBodies() {
        let script = SQLScript("""
            -- a comment; with a semicolon
            CREATE TABLE t (a text DEFAULT 'x;y', "b;c" int);
            /* block; /* nested; */ still comment; */
            CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT 'it''s; fine';
            ;;
            """)
        #expect(script.statements.count == 4)
        #expect(script.statements[0].hasSuffix(#"CREATE TABLE t (a text DEFAULT 'x;y', "b;c" int)"#))
        #expect(script.statements[1].contains("RETURN 1; END; $body$ LANGUAGE plpgsql"))
        #expect(script.statements[2] == "DO $$ BEGIN PERFORM 1; END $$")
        #expect(script.statements[3] == "SELECT 'it''s; fine'")
    }

    @Test func commentOnlyScriptHasNoStatements() {
        #expect(SQLScript("-- nothing here\n/* or here */\n").statements.isEmpty)
    }

    @Test func positionalParametersAreNotDollarQuotes() {
        #expect(SQLScript("SELECT $1; SELECT 2").statements == ["SELECT $1", "SELECT 2"])
    }
}
