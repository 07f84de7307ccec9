import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Find-many parameters: filter, order_by, limit, cursors, depth and fields.
@Suite(.tags(.integration)) struct RecordsQueryTests {
    /// Creates companies named `names` with `employees` 10, 20, 30, … and returns their ids in order.
    static func seed(_ ws: RESTTestWorkspace, _ names: [String]) async throws -> [String] {
        let body = names.enumerated().map { #"{"name": "\#($0.element)", "employees": \#(($0.offset + 1) * 10)}"# }.joined(separator: ",")
        let created = try await ws.post("/rest/batch/companies", "[\(body)]")
        return try #require(created.body["data"]?["createCompanies"]?.array).compactMap { $0["id"]?.string }
    }

    static func names(_ response: (status: HTTPResponse.Status, body: JSONValue)) -> [String] {
        (response.body["data"]?["companies"]?.array ?? []).compactMap { $0["name"]?.string }
    }

    @Test func filtersCombineWithAndOrNotAndEveryComparator() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            _ = try await Self.seed(ws, ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Acme Inc", "A+B"])
            #expect(Self.names(try await ws.get("/rest/companies?filter=employees[gte]:30,employees[lte]:50&order_by=employees"))
                == ["Initech", "Umbrella", "Hooli"])
            // Form encoding, as Twenty (Express) reads it and clients like httpx send it: `+` is a space, `%2B` a plus.
            #expect(Self.names(try await ws.get("/rest/companies?filter=name%5Beq%5D%3AAcme+Inc")) == ["Acme Inc"])
            #expect(Self.names(try await ws.get("/rest/companies?filter=name[eq]:A%2BB")) == ["A+B"])
            #expect(Self.names(try await ws.get("/rest/companies?filter=name[ilike]:%25o%25&order_by=name")) == ["Globex", "Hooli"])
            #expect(Self.names(try await ws.get("/rest/companies?filter=or(name[eq]:Acme,employees[eq]:50)&order_by=name")) == ["Acme", "Hooli"])
            #expect(Self.names(try await ws.get("/rest/companies?filter=and(employees[gt]:10,employees[lt]:60,not(name[in]:[Globex,%22Initech%22]))&order_by=name"))
                == ["Hooli", "Umbrella"])
            #expect(Self.names(try await ws.get("/rest/companies?filter=name[startsWith]:Um")) == ["Umbrella"])
            #expect(Self.names(try await ws.get("/rest/companies?filter=name[endsWith]:ex")) == ["Globex"])
            #expect(Self.names(try await ws.get("/rest/companies?filter=employees[lt]:20,name[neq]:Globex")) == ["Acme"])
            #expect(Self.names(try await ws.get("/rest/companies?filter=employees[lte]:20&order_by=name[DescNullsLast]")) == ["Globex", "Acme"])
            #expect(Self.names(try await ws.get("/rest/companies?filter=address.addressCity[eq]:%22%22&limit=1")).count == 1)
            let created = try await ws.get("/rest/companies?filter=createdAt[gte]:%222020-01-01T00:00:00Z%22")
            #expect(created.body["totalCount"] == 7)
        }
    }

    @Test func pagesWithCursorsBothWaysAndTotalCount() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let ids = try await Self.seed(ws, ["A", "B", "C", "D", "E"])
            let first = try await ws.get("/rest/companies?order_by=employees&limit=2")
            #expect(Self.names(first) == ["A", "B"])
            #expect(first.body["totalCount"] == 5)
            #expect(first.body["pageInfo"]?["hasNextPage"] == true)
            #expect(first.body["pageInfo"]?["startCursor"]?.string?.lowercased() == ids[0].lowercased())
            let end = try #require(first.body["pageInfo"]?["endCursor"]?.string)
            let second = try await ws.get("/rest/companies?order_by=employees&limit=2&starting_after=\(end)")
            #expect(Self.names(second) == ["C", "D"])
            // As Twenty: paging forward reports more rows ahead only; hasPreviousPage stays false.
            #expect(second.body["pageInfo"]?["hasNextPage"] == true && second.body["pageInfo"]?["hasPreviousPage"] == false)
            let last = try await ws.get("/rest/companies?order_by=employees&limit=2&starting_after=\(try #require(second.body["pageInfo"]?["endCursor"]?.string))")
            #expect(Self.names(last) == ["E"])
            #expect(last.body["pageInfo"]?["hasNextPage"] == false)
            #expect(last.body["totalCount"] == 5)
            // A page holding every match counts itself; one row short of them counts all matches.
            for (limit, shown) in [(10, 5), (5, 5), (4, 4), (1, 1)] {
                let page = try await ws.get("/rest/companies?order_by=employees&limit=\(limit)")
                #expect(Self.names(page).count == shown && page.body["totalCount"] == 5, "limit \(limit)")
            }
            #expect(try await ws.get("/rest/companies?filter=name[in]:[%22B%22,%22D%22]&limit=1").body["totalCount"] == 2)
            #expect(try await ws.get("/rest/companies?filter=name[in]:[%22B%22,%22D%22]&limit=2").body["totalCount"] == 2)

            let before = try await ws.get("/rest/companies?order_by=employees&limit=2&ending_before=\(ids[3])")
            #expect(Self.names(before) == ["B", "C"])
            #expect(before.body["pageInfo"]?["hasPreviousPage"] == true && before.body["pageInfo"]?["hasNextPage"] == false)
            let firstBefore = try await ws.get("/rest/companies?order_by=employees&limit=2&ending_before=\(ids[2])")
            #expect(Self.names(firstBefore) == ["A", "B"] && firstBefore.body["pageInfo"]?["hasPreviousPage"] == false)
            let descending = try await ws.get("/rest/companies?order_by=employees[DescNullsFirst]&limit=2&starting_after=\(ids[3])")
            #expect(Self.names(descending) == ["C", "B"])
            // A soft-deleted record keeps its place as a cursor; a destroyed one is a 400, not an empty last page.
            #expect(try await ws.delete("/rest/companies/\(ids[1])?soft_delete=true").status == .ok)
            #expect(Self.names(try await ws.get("/rest/companies?order_by=employees&limit=2&starting_after=\(ids[1])")) == ["C", "D"])
            #expect(try await ws.delete("/rest/companies/\(ids[1])").status == .ok)
            let gone = try await ws.get("/rest/companies?order_by=employees&limit=2&starting_after=\(ids[1])")
            #expect(gone.status == .badRequest && gone.body["messages"]?[0]?.string?.hasPrefix("Invalid cursor") == true, "\(gone.body)")
            #expect(try await ws.get("/rest/companies?limit=2&ending_before=\(ids[1])").status == .badRequest)
            #expect(try await ws.post("/rest/companies", #"{"id": "\#(ids[1])", "name": "B", "employees": 20}"#).status == .created)

            let none = try await ws.get("/rest/companies?limit=0")
            #expect(Self.names(none).isEmpty)
            #expect(none.body["totalCount"] == 5)
            let clamped = try await ws.get("/rest/companies?limit=1000")
            #expect(clamped.status == .ok)
            // limit and depth are read as numbers, as Twenty reads them; empty means the default.
            #expect(Self.names(try await ws.get("/rest/companies?order_by=employees&limit=1e0")) == ["A"])
            #expect(Self.names(try await ws.get("/rest/companies?order_by=employees&limit=%202")) == ["A", "B"])
            #expect(Self.names(try await ws.get("/rest/companies?limit=&depth=")).count == 5)
            let depthOne = try await ws.get("/rest/companies?limit=1&depth=1.0")
            #expect(depthOne.status == .ok && depthOne.body["data"]?["companies"]?[0]?["people"] != nil, "\(depthOne.body)")
        }
    }

    @Test func depthOneEmbedsRelationsBothWaysAndFieldsNarrowTheRecord() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let company = try await ws.post("/rest/companies", #"{"name": "Acme"}"#)
            let companyID = try #require(company.body["data"]?["createCompany"]?["id"]?.string)
            let person = try await ws.post("/rest/people", #"""
                {"name": {"firstName": "Ada", "lastName": "Lovelace"}, "emails": {"primaryEmail": "ada@acme.test", "additionalEmails": ["a@b.test"]},
                 "companyId": "\#(companyID)", "jobTitle": "Engineer"}
                """#)
            #expect(person.status == .created)
            let personID = try #require(person.body["data"]?["createPerson"]?["id"]?.string)
            #expect(person.body["data"]?["createPerson"]?["companyId"]?.string == companyID)
            #expect(person.body["data"]?["createPerson"]?["company"] == nil)

            let withCompany = try await ws.get("/rest/people/\(personID)?depth=1")
            #expect(withCompany.body["data"]?["person"]?["company"]?["name"] == "Acme")
            let withPeople = try await ws.get("/rest/companies/\(companyID)?depth=1")
            #expect(withPeople.body["data"]?["company"]?["people"]?[0]?["name"]?["firstName"] == "Ada")
            #expect(withPeople.body["data"]?["company"]?["opportunities"]?.array?.isEmpty == true)

            let byFirstName = try await ws.get("/rest/people?filter=name.firstName[eq]:Ada&depth=1")
            #expect(byFirstName.body["data"]?["people"]?[0]?["company"]?["id"]?.string == companyID)
            let narrow = try await ws.get("/rest/people?fields=jobTitle")
            #expect(narrow.body["data"]?["people"]?[0]?.keys == ["id", "jobTitle"])
            let byCompany = try await ws.get("/rest/people?filter=companyId[eq]:\(companyID)")
            #expect(byCompany.body["totalCount"] == 1)
        }
    }

    @Test func badInputIsA400InTwentysShapeAndChangesNothing() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let cases: [(HTTPRequest.Method, String, String?, String)] = [
                (.get, "/rest/company", nil, "Did you mean 'companies'?"),
                (.get, "/rest/unicorns", nil, "object 'unicorns' not found. eg: companies"),
                (.get, "/rest/companies/not-a-uuid", nil, "not a valid UUID"),
                (.get, "/rest/companies?filter=name[like]", nil, "expected field[comparator]:value"),
                (.get, "/rest/companies?filter=name[bogus]:x", nil, "Invalid filter comparator"),
                (.get, "/rest/companies?filter=name[eq]:", nil, "'filter' invalid for 'name[eq]:'. eg: price[gte]:10"),
                (.get, "/rest/companies?filter=nope[eq]:x", nil, "has no field 'nope'"),
                (.get, "/rest/companies?filter=employees[eq]:many", nil, "is not a number"),
                (.get, "/rest/companies?filter=id[eq]:123", nil, "not a valid UUID"),
                (.get, "/rest/companies?filter=name.firstName[eq]:x", nil, "has no properties"),
                (.get, "/rest/companies?order_by=name[Sideways]", nil,
                 "'order_by' direction 'Sideways' invalid. Allowed values are 'AscNullsFirst', 'AscNullsLast', 'DescNullsFirst', 'DescNullsLast'"),
                (.get, "/rest/companies?limit=-1", nil, "limit '-1' is invalid. Should be an integer"),
                (.get, "/rest/companies?limit=2.5", nil, "limit '2.5' is invalid"),
                (.get, "/rest/companies?limit=ten", nil, "limit 'ten' is invalid"),
                (.get, "/rest/companies?depth=3", nil, "'depth=3' parameter invalid. Allowed values are 0, 1"),
                (.delete, "/rest/companies/00000000-0000-4000-8000-000000000000?soft_delete=yes", nil, "soft_delete must be true or false"),
                (.post, "/rest/companies?upsert=1", #"{"name": "x"}"#, "upsert must be true or false"),
                (.get, "/rest/companies?starting_after=xyz", nil, "Invalid cursor"),
                (.get, "/rest/companies?filter=name[ilike]:abc%5C", nil, "Invalid like pattern"),
                (.post, "/rest/companies", "{not json", "not valid JSON"),
                (.post, "/rest/companies", #"{"name": 3}"#, "expected a string"),
                (.post, "/rest/companies", #"{"name": "a\u0000b"}"#, "NUL character"),
                (.post, "/rest/metadata/objects", #"{"nameSingular": "nul", "namePlural": "nuls", "labelSingular": "N\u0000", "labelPlural": "Nuls"}"#, "NUL character"),
                (.post, "/rest/companies", #"{"unknownField": 1}"#, "has no field 'unknownField'"),
                (.post, "/rest/companies", #"{"createdAt": "2020-01-01"}"#, "read-only"),
                (.post, "/rest/companies", #"{"accountOwnerId": "nope"}"#, "not a valid UUID"),
                (.post, "/rest/companies", #"{"annualRecurringRevenue": {"currencyCode": "euro"}}"#, "currency code"),
                (.post, "/rest/people", #"{"emails": {"primaryEmail": "not-an-email"}}"#, "not an email address"),
                (.post, "/rest/opportunities", #"{"stage": "WON_BIG"}"#, "is not one of"),
                (.post, "/rest/opportunities", #"{"closeDate": "tomorrow"}"#, "ISO 8601"),
                (.post, "/rest/people", #"{"companyId": "00000000-0000-4000-8000-000000000000"}"#, "related record"),
                (.post, "/rest/batch/companies", #"{"name": "x"}"#, "JSON array"),
                (.post, "/rest/batch/companies", #"[{"name": "ok"}, {"name": 1}]"#, "expected a string"),
                (.patch, "/rest/companies", #"{"name": "all"}"#, "Filters are mandatory for bulk update operations"),
                (.delete, "/rest/companies?soft_delete=true", nil, "Filters are mandatory for bulk delete operations"),
                (.delete, "/rest/companies", nil, "Filters are mandatory for bulk destroy operations"),
            ]
            for (method, uri, body, message) in cases {
                let response = try await ws.send(method, uri, json: body)
                #expect(response.status == .badRequest, "\(method) \(uri)")
                #expect(response.body["statusCode"] == 400, "\(uri)")
                #expect(response.body["error"] == "BadRequestException", "\(uri)")
                let messages = response.body["messages"]?.array?.compactMap(\.string) ?? []
                #expect(messages.contains { $0.contains(message) }, "\(uri): \(messages)")
            }
            #expect(try await ws.get("/rest/companies").body["totalCount"] == 0)
            #expect(try await ws.get("/rest/people").body["totalCount"] == 0)
        }
    }
}
