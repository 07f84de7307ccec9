/// How a statement renders the records it read or changed: the caller's selection (``RecordTree``) inside the envelope
/// the API chose (``RecordEnvelope``), by the one ``SelectionRenderer``.
struct RecordRendering {
    let tree: RecordTree
    let envelope: RecordEnvelope
    let renderer: SelectionRenderer
    let object: WorkspaceSchema.Object

    init(_ tree: RecordTree, _ envelope: RecordEnvelope, in scope: RecordScope) throws {
        self.tree = tree
        self.envelope = envelope
        self.renderer = try SelectionRenderer(scope)
        self.object = scope.object
    }

    /// `SELECT <the envelope around the record in alias, or when many the array of them>::text FROM <from>`.
    /// - Parameter from: The `FROM` clause; the alias alone (a CTE's name) by default.
    func appendSelect(_ alias: String, from: String? = nil, many: Bool, to sql: inout SQLBuilder) throws {
        sql.append("SELECT ")
        try envelope.wrap(&sql) { sql in
            if many { sql.append("COALESCE(json_agg(") }
            try renderer.record(tree, of: object, alias: alias, to: &sql)
            if many { sql.append("), '[]'::json)") }
        }
        sql.append("::text FROM \(from ?? alias)")
    }
}
