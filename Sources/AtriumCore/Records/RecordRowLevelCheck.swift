/// The write side of row-level permissions (PostgreSQL RLS's WITH CHECK): a row a statement creates or changes must
/// satisfy the caller's row-level rule, or the statement fails with 42501 (``AtriumError/permissionDenied()``) and
/// writes nothing. The check is an expression of the same statement (no extra round trip); roles without a rule on
/// the object get no SQL at all.
extension RecordReadStatements {
    /// `, CASE WHEN <rule on alias> THEN NULL ELSE <refuse> END AS "__rowLevel"`, for a `RETURNING` list: PostgreSQL
    /// evaluates it for every row written. A rule that is NULL for the row (e.g. "owner = me" on an owner-less record)
    /// refuses too.
    func appendRowLevelCheck(returning alias: String, to sql: inout SQLBuilder) throws {
        guard try appendRowLevelGuard(alias: alias, passing: "NULL", prefix: ", ", to: &sql) else { return }
        sql.append(" AS \"__rowLevel\"")
    }

    /// ` WHERE CASE WHEN <rule on alias> THEN TRUE ELSE <refuse> END` for `ON CONFLICT … DO UPDATE`, where `alias` is
    /// the existing row: an upsert may not take over a record outside the rule (it fails rather than skipping it).
    func appendRowLevelCheck(conflicting alias: String, to sql: inout SQLBuilder) throws {
        _ = try appendRowLevelGuard(alias: alias, passing: "TRUE", prefix: " WHERE ", to: &sql)
    }

    /// Appends `<prefix>CASE WHEN <rule> THEN <passing> ELSE <refuse> END`; false (nothing appended) without a rule.
    private func appendRowLevelGuard(alias: String, passing: String, prefix: String, to sql: inout SQLBuilder) throws -> Bool {
        guard let filter = policy.rowFilter else { return false }
        sql.append("\(prefix)CASE WHEN ")
        try FilterCompiler(object: object, schema: schema, alias: alias).append(filter, to: &sql)
        sql.append(" THEN \(passing) ELSE core.\"atrium_refuse_row_outside_role\"() END")
        return true
    }
}
