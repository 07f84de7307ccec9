import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The public OpenAPI documents: `core` tailored to the caller's workspace by a valid token, the bare frame otherwise;
/// `metadata` the same for everyone.
@Suite(.tags(.integration)) struct OpenAPIDocumentsTests {
    static func fetch(_ ws: RESTTestWorkspace, _ uri: String, token: String?) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
        let headers: HTTPFields = token.map { [.authorization: "Bearer \($0)"] } ?? [:]
        return try await ws.client.execute(uri: uri, method: .get, headers: headers) { response in
            (response.status, try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView)))
        }
    }

    static func paths(_ document: JSONValue) -> Set<String> {
        guard case .object(let paths)? = document["paths"] else { return [] }
        return Set(paths.keys)
    }

    @Test func theCoreDocumentDescribesTheTokensWorkspaceOnly() async throws {
        try await RESTTestWorkspace.run(count: 2) { workspaces in
            let (first, second) = (workspaces[0], workspaces[1])
            _ = try await first.post("/rest/metadata/objects", #"{"nameSingular":"gadget","namePlural":"gadgets","labelSingular":"Gadget","labelPlural":"Gadgets"}"#)
            for uri in ["/rest/open-api/core", "/open-api/core"] {
                let mine = try await Self.fetch(first, uri, token: first.token)
                #expect(mine.status == .ok && Self.paths(mine.body).isSuperset(of: ["/companies", "/companies/{id}", "/gadgets"]))
                #expect(mine.body["info"]?["description"]?.string?.contains(first.id.lowercased) == true)
                let theirs = try await Self.fetch(second, uri, token: second.token)
                #expect(Self.paths(theirs.body).contains("/companies") && !Self.paths(theirs.body).contains("/gadgets"))
                #expect(theirs.body["info"]?["description"]?.string?.contains(first.id.lowercased) == false)
                // Without a valid token: Twenty's public answer, the frame with no paths.
                for token in [nil, "not.a.token"] {
                    let anonymous = try await Self.fetch(first, uri, token: token)
                    #expect(anonymous.status == .ok && Self.paths(anonymous.body).isEmpty, "\(uri) \(token ?? "no token")")
                    #expect(anonymous.body["openapi"] == "3.1.0" && anonymous.body["components"]?["schemas"]?["Error"] != nil)
                }
            }
            // The records themselves still need a token.
            #expect(try await Self.fetch(first, "/rest/companies", token: nil).status == .unauthorized)
        }
    }

    @Test func aNumberIsANumberWhenItIsAFloatOrHasDecimalsAndAnIntegerOtherwise() async throws {
        try await RESTTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let objects = try await ws.get("/rest/metadata/objects")
            let company = try #require(objects.body["data"]?["objects"]?.array?.first { $0["nameSingular"]?.string == "company" }?["id"]?.string)
            for (name, settings) in [("rating2", #"{"decimals":2}"#), ("ratio", #"{"dataType":"float"}"#), ("visits", #"{"decimals":0}"#)] {
                let created = try await ws.post("/rest/metadata/fields", """
                    {"objectMetadataId":"\(company)","type":"NUMBER","name":"\(name)","label":"\(name)","settings":\(settings)}
                    """)
                #expect(created.status == .created, "\(created.body)")
            }
            let document = try await Self.fetch(ws, "/rest/open-api/core", token: ws.token).body
            let properties = document["components"]?["schemas"]?["Company"]?["properties"]
            #expect(properties?["rating2"]?["type"] == ["number", "null"])
            #expect(properties?["ratio"]?["type"] == ["number", "null"])
            #expect(properties?["visits"]?["type"] == ["integer", "null"])
            #expect(properties?["employees"]?["type"] == ["integer", "null"])
        }
    }

    @Test func theMetadataDocumentIsPublic() async throws {
        try await RESTTestWorkspace.run { workspaces in
            for uri in ["/rest/open-api/metadata", "/open-api/metadata"] {
                let document = try await Self.fetch(workspaces[0], uri, token: nil)
                #expect(document.status == .ok)
                #expect(Self.paths(document.body) == ["/objects", "/objects/{id}", "/fields", "/fields/{id}", "/apiKeys", "/apiKeys/{id}"])
                #expect(document.body["servers"]?[0]?["url"]?.string?.hasSuffix("/rest/metadata") == true)
                #expect(document.body["components"]?["schemas"]?["Field"]?["required"]?.array?.contains("objectMetadataId") == true)
                #expect(try await Self.fetch(workspaces[0], uri, token: workspaces[0].token).body == document.body)
            }
        }
    }
}
