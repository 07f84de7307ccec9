import AtriumCore
import Foundation
import Testing

/// Each operand of a saved view's filter means what it means in Twenty, per field type.
@Suite struct ViewFilterCompilerTests {
    let schema: WorkspaceSchema
    let me = UUID()

    init() throws {
        schema = try WorkspaceSchema(definitions: StandardObjects.all)
    }

    /// The filter of a view holding one filter on `object.field`.
    func compiled(_ object: String, _ field: String, _ operand: String, _ value: JSONValue, sub: String? = nil,
                  timeZone: String = "UTC", now: Date = Date(timeIntervalSince1970: 1_796_000_000)) throws -> RecordFilter? {
        let target = try #require(schema.object(named: object))
        let fieldID = try #require(target.field(named: field)).id
        let view = ViewDefinition(id: UUID(), objectMetadataId: target.id, filters: [
            .init(fieldMetadataId: fieldID, operand: operand, value: value, viewFilterGroupId: nil, positionInViewFilterGroup: nil, subFieldName: sub),
        ])
        let context = ViewFilterCompiler.Context(workspaceMemberID: me, timeZone: TimeZone(identifier: timeZone)!, now: now)
        return try ViewFilterCompiler(object: target, context: context).compile(view).filter
    }

    @Test func selectsCurrencyRatingAndMultiSelect() throws {
        #expect(try compiled("opportunity", "stage", "IS", #"["NEW","MEETING"]"#) == .condition(FieldPath("stage"), .in, .values(["NEW", "MEETING"])))
        #expect(try compiled("opportunity", "stage", "IS", #"["NEW",""]"#)
                == .or([.condition(FieldPath("stage"), .in, .values(["NEW"])), .condition(FieldPath("stage"), .is, .null)]))
        #expect(try compiled("opportunity", "stage", "IS_NOT", #"["NEW"]"#) == .and([.not(.condition(FieldPath("stage"), .in, .values(["NEW"])))]))
        #expect(try compiled("opportunity", "amount", "GREATER_THAN_OR_EQUAL", "1.5") == .condition(FieldPath("amount", "amountMicros"), .gte, .value("1500000")))
        #expect(try compiled("opportunity", "amount", "IS", #"["USD"]"#, sub: "currencyCode") == .condition(FieldPath("amount", "currencyCode"), .in, .values(["USD"])))
        #expect(try compiled("opportunity", "amount", "IS_EMPTY", "") == .condition(FieldPath("amount", "amountMicros"), .is, .null))
    }

    @Test func textCompositesRelationsAndBooleans() throws {
        #expect(try compiled("person", "name", "CONTAINS", "ann")
                == .or([.condition(FieldPath("name", "firstName"), .ilike, .value("%ann%")), .condition(FieldPath("name", "lastName"), .ilike, .value("%ann%"))]))
        #expect(try compiled("person", "name", "CONTAINS", "ann", sub: "lastName") == .condition(FieldPath("name", "lastName"), .ilike, .value("%ann%")))
        #expect(try compiled("company", "name", "DOES_NOT_CONTAIN", "x")
                == .or([.not(.condition(FieldPath("name"), .ilike, .value("%x%"))), .condition(FieldPath("name"), .is, .null)]))
        #expect(try compiled("company", "name", "IS_EMPTY", "") == .or([.condition(FieldPath("name"), .eq, .value("")), .condition(FieldPath("name"), .is, .null)]))
        let mine = #"{"isCurrentWorkspaceMemberSelected":true,"selectedRecordIds":[]}"#
        #expect(try compiled("task", "assignee", "IS", .string(mine)) == .condition(FieldPath("assigneeId"), .in, .values([me.lowercased])))
        let other = UUID().lowercased
        #expect(try compiled("task", "assignee", "IS_NOT", .array([.string(other)]))
                == .or([.not(.condition(FieldPath("assigneeId"), .in, .values([other]))), .condition(FieldPath("assigneeId"), .is, .null)]))
        #expect(try compiled("company", "idealCustomerProfile", "IS", "true") == .condition(FieldPath("idealCustomerProfile"), .eq, .value("true")))
        // An empty value filters nothing, as in Twenty.
        #expect(try compiled("company", "name", "CONTAINS", "") == nil)
        #expect(try compiled("task", "assignee", "IS", #"{"selectedRecordIds":[]}"#) == nil)
    }

    @Test func datesAreReadInTheCallersTimeZone() throws {
        // 2026-12-01T23:33:20Z is already 2 December in Paris.
        let now = Date(timeIntervalSince1970: 1_796_168_000)
        #expect(try compiled("opportunity", "closeDate", "IS_TODAY", "", timeZone: "Europe/Paris", now: now)
                == .and([.condition(FieldPath("closeDate"), .gte, .value("2026-12-01T23:00:00.000Z")),
                         .condition(FieldPath("closeDate"), .lt, .value("2026-12-02T23:00:00.000Z"))]))
        #expect(try compiled("task", "dueAt", "IS_BEFORE", "2026-01-01T00:00:00.000Z") == .condition(FieldPath("dueAt"), .lt, .value("2026-01-01T00:00:00.000Z")))
        #expect(try compiled("task", "dueAt", "IS_RELATIVE", "PAST_3_DAY", now: now)
                == .and([.condition(FieldPath("dueAt"), .gte, .value("2026-11-28T23:33:00.000Z")),
                         .condition(FieldPath("dueAt"), .lt, .value("2026-12-01T23:33:00.000Z"))]))
        #expect(try compiled("task", "dueAt", "IS_RELATIVE", "THIS__WEEK;;Europe/Paris;;MONDAY;;", now: now)
                == .and([.condition(FieldPath("dueAt"), .gte, .value("2026-11-29T23:00:00.000Z")),
                         .condition(FieldPath("dueAt"), .lt, .value("2026-12-06T23:00:00.000Z"))]))
    }

    @Test func groupsNestAndSortsFollowTheView() throws {
        let company = try #require(schema.object(named: "company"))
        let (outer, inner) = (UUID(), UUID())
        let employees = try #require(company.field(named: "employees")).id
        let name = try #require(company.field(named: "name")).id
        let view = ViewDefinition(id: UUID(), objectMetadataId: company.id, filters: [
            .init(fieldMetadataId: employees, operand: "GREATER_THAN_OR_EQUAL", value: "10", viewFilterGroupId: outer, positionInViewFilterGroup: 1, subFieldName: nil),
            .init(fieldMetadataId: name, operand: "CONTAINS", value: "a", viewFilterGroupId: inner, positionInViewFilterGroup: 0, subFieldName: nil),
        ], filterGroups: [
            .init(id: outer, parentViewFilterGroupId: nil, logicalOperator: "OR", positionInViewFilterGroup: nil),
            .init(id: inner, parentViewFilterGroupId: outer, logicalOperator: "NOT", positionInViewFilterGroup: 0),
        ], sorts: [.init(fieldMetadataId: employees, direction: "DESC", subFieldName: nil)])
        let query = try ViewFilterCompiler(object: company, context: .init(workspaceMemberID: nil)).compile(view)
        #expect(query.filter == .or([.not(.condition(FieldPath("name"), .ilike, .value("%a%"))), .condition(FieldPath("employees"), .gte, .value("10"))]))
        #expect(query.order == [OrderTerm(FieldPath("employees"), .descNullsLast)])
    }
}
