import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Numbers given to records and to paging arguments: what a column or Twenty would refuse is a 400 in Twenty's error
/// shape (REST) or BAD_USER_INPUT (GraphQL); what fits is stored as given.
@Suite(.tags(.integration)) struct RecordNumberInputTests {
    static func graphQL(_ ws: RESTTestWorkspace, _ query: String) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
        try await ws.send(.post, "/graphql", json: String(decoding: try JSONEncoder().encode(JSONValue.object(["query": .string(query)])), as: UTF8.self))
    }

    static func code(_ response: (status: HTTPResponse.Status, body: JSONValue)) -> String? {
        response.body["errors"]?[0]?["extensions"]?["code"]?.string
    }

    @Test func numberFieldsTakeWhatTheirDataTypeHolds() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let company = try await MetadataHostileInputTests.objectID(ws, "company")
            let field = try await ws.post("/rest/metadata/fields",
                                          #"{"objectMetadataId": "\#(company)", "type": "NUMBER", "name": "seats", "label": "Seats", "settings": {"dataType": "int"}}"#)
            #expect(field.status == .created, "\(field.body)")

            // A float NUMBER (employees, no dataType) stores any finite number, as Twenty does.
            let huge = try await ws.post("/rest/companies", #"{"name": "Huge", "employees": 1e300}"#)
            #expect(huge.status == .created, "\(huge.body)")
            let hugeID = try #require(huge.body["data"]?["createCompany"]?["id"]?.string)
            #expect(try await ws.get("/rest/companies/\(hugeID)").body["data"]?["company"]?["employees"] == .number(1e300))
            let negativeZero = try await ws.patch("/rest/companies/\(hugeID)", #"{"employees": -0}"#)
            #expect(negativeZero.status == .ok && negativeZero.body["data"]?["updateCompany"]?["employees"] == 0, "\(negativeZero.body)")

            // An int NUMBER refuses what PostgreSQL's integer (and GraphQL's Int) cannot hold.
            for value in ["2147483648", "-2147483649", "1e300", "-1e300", "1.5", "99999999999999999999999"] {
                let created = try await ws.post("/rest/companies", #"{"name": "Int", "seats": \#(value)}"#)
                #expect(created.status == .badRequest && created.body["statusCode"] == 400, "\(value): \(created)")
                #expect(created.body["messages"]?[0]?.string?.contains("seats") == true, "\(created.body)")
                let updated = try await ws.patch("/rest/companies/\(hugeID)", #"{"seats": \#(value)}"#)
                #expect(updated.status == .badRequest, "\(value): \(updated)")
                let viaGraphQL = try await Self.graphQL(ws, "mutation { createCompany(data: {name: \"Int\", seats: \(value)}) { id } }")
                // An int NUMBER is an Int in GraphQL, as in Twenty: a literal Int cannot hold fails validation, one it
                // holds but the field refuses (past 32 bits) is bad user input.
                #expect(["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"].contains(Self.code(viaGraphQL)), "\(value): \(viaGraphQL.body)")
                #expect(viaGraphQL.body["data"]?["createCompany"]?["id"] == nil, "\(value): \(viaGraphQL.body)")
            }
            let fits = try await ws.patch("/rest/companies/\(hugeID)", #"{"seats": 2147483647}"#)
            #expect(fits.status == .ok && fits.body["data"]?["updateCompany"]?["seats"] == 2_147_483_647, "\(fits.body)")

            // Literals past a double are refused by the JSON parser or the column check, never stored as infinity.
            for value in ["1e309", "-1e309"] {
                for name in ["employees", "position", "seats"] {
                    let raw = try await ws.post("/rest/companies", #"{"name": "Inf", "\#(name)": \#(value)}"#)
                    #expect(raw.status == .badRequest, "\(name)=\(value): \(raw)")
                }
                let viaGraphQL = try await Self.graphQL(ws, "mutation { createCompany(data: {name: \"Inf\", employees: \(value)}) { id } }")
                #expect(viaGraphQL.status.code < 500 && viaGraphQL.body["data"]?["createCompany"]?["id"] == nil, "\(viaGraphQL.body)")
            }
            for amount in [#""NaN""#, #""Infinity""#, "1e309", #""1e400""#] {
                let raw = try await ws.post("/rest/opportunities", #"{"name": "Deal", "amount": {"amountMicros": \#(amount), "currencyCode": "USD"}}"#)
                #expect(raw.status == .badRequest, "\(amount): \(raw)")
            }
        }
    }

    @Test func pagingArgumentsOutside32BitsAreRefusedNotCrashed() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            for argument in ["first: 9223372036854775807", "last: -9223372036854775808", "offset: 3000000000", "first: -1"] {
                let answer = try await Self.graphQL(ws, "{ companies(\(argument)) { totalCount } }")
                #expect(answer.status.code == 400 || Self.code(answer) == "BAD_USER_INPUT", "\(argument): \(answer.body)")
                #expect(answer.body["data"]?["companies"] == nil || answer.body["data"]?["companies"] == .null, "\(argument): \(answer.body)")
            }
            // A search cursor is `offset:<n>` in base64: n past 32 bits overflowed `offset + limit`, killing the process.
            for offset in ["9223372036854775807", "2147483648", "-1"] {
                let cursor = Data("offset:\(offset)".utf8).base64EncodedString()
                let answer = try await Self.graphQL(ws, "{ search(searchInput: \"a\", limit: 5, after: \"\(cursor)\") { edges { cursor } } }")
                #expect(Self.code(answer) == "BAD_USER_INPUT", "\(offset): \(answer.body)")
            }
            let merge = try await ws.patch("/rest/companies/merge", #"{"ids": [], "conflictPriorityIndex": 1e300}"#)
            #expect(merge.status == .badRequest && merge.body["messages"]?[0]?.string?.contains("conflictPriorityIndex") == true, "\(merge)")
            #expect(try await ws.get("/rest/companies?limit=1").status == .ok)
        }
    }
}
