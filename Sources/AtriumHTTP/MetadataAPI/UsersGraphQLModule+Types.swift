import AtriumCore
import Foundation
import GraphQL
import OrderedCollections

extension UsersGraphQLModule {
    /// The object types of the users module, with Twenty's names.
    struct Types {
        let authToken: GraphQLObjectType
        let loginToken: GraphQLObjectType
        let authTokens: GraphQLObjectType
        let signUpOutput: GraphQLObjectType
        let workspace: GraphQLObjectType
        let user: GraphQLObjectType
        let invitation: GraphQLObjectType
        let sendInvitationsOutput: GraphQLObjectType
        let userWorkspace: GraphQLObjectType

        init(_ shared: MetadataGraphQLShared) throws {
            let string = GraphQLString, boolean = GraphQLBoolean
            func required(_ type: any GraphQLOutputType) throws -> GraphQLField { GraphQLField(type: try GraphQLNonNull(type)) }
            authToken = try GraphQLObjectType(name: "AuthToken", fields: ["token": required(string), "expiresAt": required(shared.dateTime)])
            loginToken = try GraphQLObjectType(name: "LoginToken", fields: ["loginToken": required(authToken)])
            let pair = try GraphQLObjectType(name: "AuthTokenPair", fields: [
                "accessOrWorkspaceAgnosticToken": GraphQLField(type: authToken),
                "accessToken": GraphQLField(type: authToken, deprecationReason: "Use accessOrWorkspaceAgnosticToken"),
                "refreshToken": required(authToken),
            ])
            authTokens = try GraphQLObjectType(name: "AuthTokens", fields: ["tokens": required(pair)])
            let urls = try GraphQLObjectType(name: "WorkspaceUrls", fields: ["subdomainUrl": required(string), "customUrl": GraphQLField(type: string)])
            let urlsAndID = try GraphQLObjectType(name: "WorkspaceUrlsAndId", fields: ["id": required(shared.uuid), "workspaceUrls": required(urls)])
            signUpOutput = try GraphQLObjectType(name: "SignUpOutput", fields: ["loginToken": required(authToken), "workspace": required(urlsAndID)])
            let status = try GraphQLEnumType(name: "WorkspaceActivationStatus", values: [
                "PENDING_CREATION", "ONGOING_CREATION", "ACTIVE", "INACTIVE", "SUSPENDED",
            ].reduce(into: GraphQLEnumValueMap()) { $0[$1] = GraphQLEnumValue(value: .string($1)) })
            workspace = try GraphQLObjectType(name: "Workspace", fields: [
                "id": required(shared.uuid), "displayName": GraphQLField(type: string), "logo": GraphQLField(type: string),
                "subdomain": required(string), "activationStatus": required(status), "inviteHash": GraphQLField(type: string),
                "allowImpersonation": required(boolean), "isPublicInviteLinkEnabled": required(boolean),
                "defaultRoleId": GraphQLField(type: shared.uuid), "workspaceUrls": required(urls),
                "createdAt": required(shared.dateTime), "updatedAt": required(shared.dateTime),
            ])
            let member = shared.workspaceMember
            user = try GraphQLObjectType(name: "User", fields: [
                "id": required(shared.uuid), "email": required(string), "firstName": required(string), "lastName": required(string),
                "locale": required(string), "isEmailVerified": required(boolean), "disabled": GraphQLField(type: boolean),
                "canImpersonate": required(boolean), "canAccessFullAdminPanel": required(boolean),
                "createdAt": required(shared.dateTime), "updatedAt": required(shared.dateTime),
                "workspaceMember": GraphQLField(type: member), "currentWorkspace": GraphQLField(type: workspace),
            ])
            invitation = try GraphQLObjectType(name: "WorkspaceInvitation", fields: [
                "id": required(shared.uuid), "email": required(string), "roleId": GraphQLField(type: shared.uuid),
                "expiresAt": required(shared.dateTime),
            ])
            sendInvitationsOutput = try GraphQLObjectType(name: "SendInvitationsOutput", fields: [
                "success": required(boolean), "errors": required(GraphQLList(GraphQLNonNull(string))),
                "result": required(GraphQLList(GraphQLNonNull(invitation))),
            ])
            userWorkspace = try GraphQLObjectType(name: "UserWorkspace", fields: [
                "id": required(shared.uuid), "userId": required(shared.uuid), "workspaceId": required(shared.uuid),
            ])
        }
    }

    // MARK: - Values

    static func date(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func token(_ token: IssuedToken) -> [String: any Sendable] {
        ["token": token.token, "expiresAt": date(token.expiresAt)]
    }

    static func pair(_ pair: IssuedTokenPair) -> [String: any Sendable] {
        ["tokens": ["accessOrWorkspaceAgnosticToken": token(pair.access), "accessToken": token(pair.access),
                    "refreshToken": token(pair.refresh)] as [String: any Sendable]]
    }

    static func workspace(_ workspace: WorkspaceRecord, users: UsersAPI) -> [String: any Sendable] {
        var value: [String: any Sendable] = [
            "id": workspace.id, "subdomain": workspace.subdomain, "activationStatus": workspace.activationStatus,
            "allowImpersonation": workspace.allowImpersonation, "isPublicInviteLinkEnabled": workspace.isPublicInviteLinkEnabled,
            "workspaceUrls": users.workspaceURLs(workspace), "createdAt": date(workspace.createdAt), "updatedAt": date(workspace.updatedAt),
        ]
        if let name = workspace.displayName { value["displayName"] = name }
        if let logo = workspace.logo { value["logo"] = logo }
        if let hash = workspace.inviteHash { value["inviteHash"] = hash }
        if let role = workspace.defaultRoleID { value["defaultRoleId"] = role }
        return value
    }

    static func invitation(_ invitation: Invitation) -> [String: any Sendable] {
        ["id": invitation.id, "email": invitation.email, "expiresAt": date(invitation.expiresAt),
         "roleId": invitation.roleID as (any Sendable)?]
    }
}
