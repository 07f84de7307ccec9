import AtriumCore

/// Twenty's REST response shapes, given to ``RecordService`` as the envelope or connection tree PostgreSQL renders:
///
/// - a page: `{"data":{"companies":[…]},"totalCount":n,"pageInfo":{"hasNextPage",…,"endCursor"}}`;
/// - one record: `{"data":{"company":{…}}}`, or under the operation's name (`createCompany`, `updatePeople`, …);
/// - duplicates: `{"data":[{"companyDuplicates":[…],"totalCount":n,"pageInfo":{…}}, …]}`.
enum RESTEnvelopes {
    /// A page of records: the records under `data.<plural>`, the total over every matching record, and the page info.
    static func page(_ page: PageRequest, records: RecordTree, of object: WorkspaceSchema.Object) -> ConnectionTree {
        ConnectionTree(page: page, entries: [
            ("data", .object([(object.namePlural, .nodes(records))])),
            ("totalCount", .aggregate(.totalCount)),
            ("pageInfo", .pageInfo([
                ("hasNextPage", .hasNextPage), ("hasPreviousPage", .hasPreviousPage),
                ("startCursor", .startCursor), ("endCursor", .endCursor),
            ])),
        ])
    }

    /// One input's duplicates: the first 60 by id under `<singular>Duplicates`, their total, and the page info.
    static func duplicates(records: RecordTree, of object: WorkspaceSchema.Object) -> ConnectionTree {
        ConnectionTree(page: PageRequest(order: [OrderTerm(FieldPath("id"))]), entries: [
            (object.nameSingular + "Duplicates", .nodes(records)),
            ("totalCount", .aggregate(.totalCount)),
            ("pageInfo", .pageInfo([("hasNextPage", .hasNextPage), ("startCursor", .startCursor), ("endCursor", .endCursor)])),
        ])
    }

    /// `{"data":{"<operation><Singular>":…}}`, or `<Plural>` for an operation on many records.
    static func named(_ operation: String, many: Bool, _ object: WorkspaceSchema.Object) -> RecordEnvelope {
        .data(operation + capitalized(many ? object.namePlural : object.nameSingular))
    }

    /// A merge answers under both `merge<Plural>` (Twenty's OpenAPI document, so its official client) and
    /// `merge<Singular>` (Twenty's server).
    static func merge(_ object: WorkspaceSchema.Object) -> RecordEnvelope {
        .data("merge" + capitalized(object.namePlural), "merge" + capitalized(object.nameSingular))
    }

    /// `company` → `Company`.
    private static func capitalized(_ name: String) -> String { name.prefix(1).uppercased() + name.dropFirst() }
}
