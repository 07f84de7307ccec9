import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// Extreme numbers and shapes sent to the metadata APIs are answered 400 in Twenty's error shapes; none crashes the
/// process (issue 14: an option position of 1e300 did, for every tenant at once).
@Suite(.tags(.integration)) struct MetadataHostileInputTests {
    /// The id of the standard object `nameSingular`.
    static func objectID(_ ws: RESTTestWorkspace, _ nameSingular: String) async throws -> String {
        let objects = try await ws.get("/rest/metadata/objects?limit=1000").body["data"]?["objects"]?.array ?? []
        return try #require(objects.first { $0["nameSingular"]?.string == nameSingular }?["id"]?.string)
    }

    /// A `/metadata` request with a raw body.
    static func metadata(_ ws: RESTTestWorkspace, _ body: String) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
        try await ws.send(.post, "/metadata", json: body)
    }

    static func isTwentyBadRequest(_ response: (status: HTTPResponse.Status, body: JSONValue)) -> Bool {
        response.status == .badRequest && response.body["statusCode"] == 400 && response.body["messages"]?.array?.isEmpty == false
    }

    @Test func anOptionPositionBeyondInt32IsA400OnEveryRoute() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let company = try await Self.objectID(ws, "company")
            let created = try await ws.post("/rest/metadata/fields", #"""
                {"objectMetadataId": "\#(company)", "type": "SELECT", "name": "tier", "label": "Tier",
                 "options": [{"value": "A", "label": "A", "position": 0}, {"value": "B", "label": "B", "position": 1}]}
                """#)
            #expect(created.status == .created, "\(created.body)")
            let field = try #require(created.body["data"]?["createOneField"]?["id"]?.string)
            for position in ["1e300", "-1e300", "2147483648", "99999999999999999999999", "1.5", "\"1\""] {
                let options = #"{"options": [{"value": "A", "label": "A", "position": \#(position)}]}"#
                let patched = try await ws.patch("/rest/metadata/fields/\(field)", options)
                #expect(Self.isTwentyBadRequest(patched), "\(position): \(patched)")
                #expect(patched.body["messages"]?[0]?.string?.contains("options[0].position") == true, "\(patched.body)")
                let unknown = try await ws.patch("/rest/metadata/fields/00000000-0000-4000-8000-000000000000", options)
                #expect(Self.isTwentyBadRequest(unknown), "\(position): \(unknown)")
                let posted = try await ws.post("/rest/metadata/fields", #"""
                    {"objectMetadataId": "\#(company)", "type": "SELECT", "name": "grade", "label": "Grade",
                     "options": [{"value": "A", "label": "A", "position": \#(position)}]}
                    """#)
                #expect(Self.isTwentyBadRequest(posted), "\(position): \(posted)")
            }
            // GraphQL: inline literals (read by the JSON scalar) and variables.
            for position in ["1e300", "-1e300", "2147483648", "1e400"] {
                let inline = try await Self.metadata(ws, #"""
                    {"query": "mutation { createOneField(input: {field: {objectMetadataId: \"\#(company)\", type: SELECT, name: \"grade\", label: \"Grade\", options: [{value: \"A\", label: \"A\", position: \#(position)}]}}) { id } }"}
                    """#)
                #expect(inline.status == .ok && inline.body["data"]?["createOneField"] == nil, "\(position): \(inline)")
                let code = inline.body["errors"]?[0]?["extensions"]?["code"]?.string
                #expect(code == "BAD_USER_INPUT" || code == "GRAPHQL_VALIDATION_FAILED", "\(position): \(inline.body)")
            }
            let variables = try await Self.metadata(ws, #"""
                {"query": "mutation($input: UpdateOneFieldMetadataInput!) { updateOneField(input: $input) { id } }",
                 "variables": {"input": {"id": "\#(field)", "update": {"options": [{"value": "A", "label": "A", "position": -1e300}]}}}}
                """#)
            #expect(variables.body["errors"]?[0]?["extensions"]?["code"]?.string == "BAD_USER_INPUT", "\(variables.body)")
            // Whole positions within range still work, and the process is alive.
            let fine = try await ws.patch("/rest/metadata/fields/\(field)", #"{"options": [{"value": "A", "label": "A", "position": 2147483647}]}"#)
            #expect(fine.status == .ok, "\(fine.body)")
        }
    }

    @Test func numberSettingsAreChecked() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let company = try await Self.objectID(ws, "company")
            func create(_ name: String, _ extra: String) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
                try await ws.post("/rest/metadata/fields",
                                  #"{"objectMetadataId": "\#(company)", "type": "NUMBER", "name": "\#(name)", "label": "\#(name)", \#(extra)}"#)
            }
            for settings in [#"{"decimals": 1e300}"#, #"{"decimals": -1}"#, #"{"decimals": 1.5}"#, #"{"dataType": "decimal"}"#,
                             #"{"type": 5}"#, #""x""#] {
                let refused = try await create("refused", #""settings": \#(settings)"#)
                #expect(Self.isTwentyBadRequest(refused), "\(settings): \(refused)")
            }
            let intDefault = try await create("refusedDefault", #""settings": {"dataType": "int"}, "defaultValue": 1e300"#)
            #expect(Self.isTwentyBadRequest(intDefault), "\(intDefault)")
            let created = try await create("seats", #""settings": {"dataType": "int", "decimals": 0, "type": "number"}, "defaultValue": 3"#)
            #expect(created.status == .created, "\(created.body)")
            let field = try #require(created.body["data"]?["createOneField"]?["id"]?.string)
            let badUpdate = try await ws.patch("/rest/metadata/fields/\(field)", #"{"defaultValue": 2147483648}"#)
            #expect(Self.isTwentyBadRequest(badUpdate), "\(badUpdate)")
            let text = try await ws.post("/rest/metadata/fields",
                                         #"{"objectMetadataId": "\#(company)", "type": "TEXT", "name": "memo", "label": "Memo", "settings": {"displayedMaxRows": 1e300}}"#)
            #expect(Self.isTwentyBadRequest(text), "\(text)")
        }
    }

    @Test func aBodyThatIsNotAnObjectIsA400LikeGraphQL() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            for body in ["[]", #""x""#, "1", "null", #"{"query": 5}"#, "{"] {
                let answer = try await Self.metadata(ws, body)
                #expect(answer.status == .badRequest, "\(body): \(answer)")
                #expect(answer.body["errors"]?[0]?["extensions"]?["code"]?.string == "BAD_USER_INPUT", "\(body): \(answer.body)")
                let graphQL = try await ws.send(.post, "/graphql", json: body)
                #expect(graphQL.status == .badRequest, "\(body): \(graphQL)")
            }
        }
    }

    @Test func metadataHasTheDepthFieldAndAliasLimitsOfGraphQL() async throws {
        try await RESTTestWorkspace.run(configuration: ["GRAPHQL_MAX_DEPTH": "6", "GRAPHQL_MAX_NODES": "100"]) { workspaces in
            let ws = workspaces[0]
            func query(_ text: String) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
                let body = String(decoding: try JSONEncoder().encode(JSONValue.object(["query": .string(text)])), as: UTF8.self)
                return try await Self.metadata(ws, body)
            }
            let bomb = "{" + (0..<1_000).map { "a\($0): objects { totalCount }" }.joined(separator: " ") + "}"
            let started = ContinuousClock.now
            let refused = try await query(bomb)
            #expect(ContinuousClock.now - started < .seconds(10))  // 23–42 s before, on one core; generous for a loaded machine
            #expect(refused.status == .badRequest, "\(refused)")
            #expect(refused.body["errors"]?[0]?["extensions"]?["code"]?.string == "GRAPHQL_VALIDATION_FAILED", "\(refused.body)")
            let aliases = "{" + (0..<51).map { "a\($0): __typename" }.joined(separator: " ") + "}"
            let tooManyAliases = try await query(aliases)
            #expect(tooManyAliases.status == .badRequest && tooManyAliases.body["errors"]?[0]?["message"]?.string?.contains("aliases") == true,
                    "\(tooManyAliases.body)")
            let deep = try await query("{ objects { edges { node { fieldsList { object { fieldsList { name } } } } } } }")
            #expect(deep.status == .badRequest && deep.body["errors"]?[0]?["message"]?.string?.contains("limit is 6") == true, "\(deep.body)")
            let wide = try await query("{ objects { " + String(repeating: "totalCount ", count: 100) + "} }")
            #expect(wide.status == .badRequest, "\(wide.body)")
            let fine = try await query("{ a: objects { totalCount } b: objects(paging: {first: 1}) { totalCount } }")
            #expect(fine.status == .ok && fine.body["errors"] == nil, "\(fine.body)")
            #expect(fine.body["data"]?["a"]?["totalCount"] == fine.body["data"]?["b"]?["totalCount"])
            // The same alias limit holds on /graphql.
            let records = try await ws.send(.post, "/graphql", json: String(
                decoding: try JSONEncoder().encode(JSONValue.object(["query": .string(aliases)])), as: UTF8.self))
            #expect(records.status == .badRequest, "\(records.body)")
        }
    }
}
