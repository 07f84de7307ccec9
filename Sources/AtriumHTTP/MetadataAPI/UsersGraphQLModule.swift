import AtriumCore
import Foundation
import GraphQL
import Logging
import OrderedCollections

/// Users, sign-in and members on `/metadata`, with Twenty's operation names and shapes.
///
/// Public (no token): `signUp` (Twenty's original shape, answering a `LoginToken`), `signUpInWorkspace`
/// (`SignUpOutput`), `getLoginTokenFromCredentials`, `getAuthTokensFromLoginToken`, `renewToken`.
/// Signed in: queries `currentUser`, `currentWorkspace`, `findWorkspaceInvitations`; mutations `sendInvitations`,
/// `deleteWorkspaceInvitation`, `deleteUserFromWorkspace`. Members are listed as records (`workspaceMembers` on
/// `/graphql` and `/rest/workspaceMembers`).
struct UsersGraphQLModule: MetadataGraphQLModule {
    /// The root fields an anonymous request may run.
    static let publicFields: Set<String> = [
        "signUp", "signUpInWorkspace", "getLoginTokenFromCredentials", "getAuthTokensFromLoginToken", "renewToken",
    ]

    func rootFields(_ shared: MetadataGraphQLShared) throws -> (queries: GraphQLFieldMap, mutations: GraphQLFieldMap) {
        let types = try Types(shared)
        return (queries(types), try mutations(types, shared))
    }

    // MARK: - Queries

    private func queries(_ types: Types) -> GraphQLFieldMap {
        [
            "currentUser": GraphQLField(type: GraphQLNonNull(types.user)) { _, _, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                let users = try context.requireUsers()
                let authentication = try context.requireAuthentication()
                guard case .member(let userID, let memberID, _) = authentication.identity else {
                    throw AtriumError(.forbidden, "currentUser needs a user's access token, not an API key")
                }
                let user = try await users.accounts.user(id: userID, logger: context.logger)
                let workspace = try await users.accounts.workspace(id: authentication.workspaceID, logger: context.logger)
                return [
                    "id": user.id, "email": user.email, "firstName": user.firstName, "lastName": user.lastName, "locale": user.locale,
                    "isEmailVerified": user.isEmailVerified, "disabled": user.disabled, "canImpersonate": user.canImpersonate,
                    "canAccessFullAdminPanel": user.canAccessFullAdminPanel,
                    "createdAt": Self.date(user.createdAt), "updatedAt": Self.date(user.updatedAt),
                    "workspaceMember": ["id": memberID, "userEmail": user.email,
                                        "name": ["firstName": user.firstName, "lastName": user.lastName] as [String: any Sendable]] as [String: any Sendable],
                    "currentWorkspace": Self.workspace(workspace, users: users),
                ] as [String: any Sendable]
            },
            "currentWorkspace": GraphQLField(type: GraphQLNonNull(types.workspace)) { _, _, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                let users = try context.requireUsers()
                return Self.workspace(try await users.accounts.workspace(id: try context.workspace, logger: context.logger), users: users)
            },
            "findWorkspaceInvitations": GraphQLField(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(types.invitation)))) { _, _, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                return try await context.requireUsers().accounts.invitations(workspaceID: try context.workspace, logger: context.logger)
                    .map(Self.invitation)
            },
        ]
    }

    // MARK: - Mutations

    private func mutations(_ types: Types, _ shared: MetadataGraphQLShared) throws -> GraphQLFieldMap {
        let string = GraphQLString
        let required = GraphQLArgument(type: GraphQLNonNull(string))
        let optional = GraphQLArgument(type: string)
        let signUpArguments: GraphQLArgumentConfigMap = [
            "email": required, "password": required, "workspaceInviteHash": optional, "workspacePersonalInviteToken": optional,
            "captchaToken": optional, "locale": optional, "verifyEmailRedirectPath": optional,
        ]
        var signUpInWorkspaceArguments = signUpArguments
        signUpInWorkspaceArguments["workspaceId"] = GraphQLArgument(type: shared.uuid)
        return [
            "signUp": GraphQLField(type: GraphQLNonNull(types.loginToken), args: signUpArguments) { _, args, context, _ in
                let result = try await Self.signUp(args, context: context)
                return ["loginToken": Self.token(result.loginToken)] as [String: any Sendable]
            },
            "signUpInWorkspace": GraphQLField(type: GraphQLNonNull(types.signUpOutput), args: signUpInWorkspaceArguments) { _, args, context, _ in
                let result = try await Self.signUp(args, context: context)
                let users = try MetadataGraphQLContext.of(context).requireUsers()
                return ["loginToken": Self.token(result.loginToken),
                        "workspace": ["id": result.workspace.id, "workspaceUrls": users.workspaceURLs(result.workspace)] as [String: any Sendable],
                ] as [String: any Sendable]
            },
            "getLoginTokenFromCredentials": GraphQLField(type: GraphQLNonNull(types.loginToken), args: [
                "email": required, "password": required, "origin": required, "captchaToken": optional, "locale": optional,
            ]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                let users = try context.requireUsers()
                let email = args["email"].string ?? ""
                try await users.throttle.admit(email: email, address: context.clientAddress, logger: context.logger)
                let (token, _) = try await users.accounts.loginToken(email: email, password: args["password"].string ?? "",
                                                                     subdomain: users.subdomain(origin: args["origin"].string ?? ""),
                                                                     logger: context.logger)
                return ["loginToken": Self.token(token)] as [String: any Sendable]
            },
            "getAuthTokensFromLoginToken": GraphQLField(type: GraphQLNonNull(types.authTokens), args: [
                "loginToken": required, "origin": required,
            ]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                let pair = try await context.requireUsers().accounts.tokens(fromLoginToken: args["loginToken"].string ?? "", logger: context.logger)
                return Self.pair(pair)
            },
            "renewToken": GraphQLField(type: GraphQLNonNull(types.authTokens), args: ["appToken": required]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                return Self.pair(try await context.requireUsers().accounts.renew(refreshToken: args["appToken"].string ?? "", logger: context.logger))
            },
            "sendInvitations": GraphQLField(type: GraphQLNonNull(types.sendInvitationsOutput), args: [
                "emails": GraphQLArgument(type: GraphQLNonNull(GraphQLList(GraphQLNonNull(string)))), "roleId": GraphQLArgument(type: shared.uuid),
            ]) { _, args, context, _ in
                try await Self.sendInvitations(emails: args["emails"].array?.compactMap(\.string) ?? [],
                                               roleID: args["roleId"].string.flatMap(UUID.init(text:)), context: context)
            },
            "deleteWorkspaceInvitation": GraphQLField(type: GraphQLNonNull(string), args: ["appTokenId": required]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                try await context.require(.workspaceMembers)
                guard let id = UUID(text: args["appTokenId"].string ?? "") else {
                    throw AtriumError(.validationFailed, "appTokenId must be a UUID")
                }
                try await context.requireUsers().accounts.deleteInvitation(id: id, workspaceID: try context.workspace, logger: context.logger)
                return id.lowercased
            },
            "deleteUserFromWorkspace": GraphQLField(type: GraphQLNonNull(types.userWorkspace), args: [
                "workspaceMemberIdToDelete": required,
            ]) { _, args, context, _ in
                let context = try MetadataGraphQLContext.of(context)
                try await context.require(.workspaceMembers)
                guard let id = UUID(text: args["workspaceMemberIdToDelete"].string ?? "") else {
                    throw AtriumError(.validationFailed, "workspaceMemberIdToDelete must be a UUID")
                }
                let removed = try await context.requireUsers().accounts.removeMember(workspaceMemberID: id, workspaceID: try context.workspace,
                                                                                     logger: context.logger)
                return ["id": removed.userWorkspaceID, "userId": removed.userID, "workspaceId": removed.workspaceID] as [String: any Sendable]
            },
        ]
    }

    // MARK: - Operations

    /// `signUp` and `signUpInWorkspace`: throttled like a sign-in; an invitation token joins its workspace, no
    /// invitation creates a workspace. A `workspaceId` or public `workspaceInviteHash` without a personal invitation
    /// is refused: joining an existing workspace needs an invitation.
    static func signUp(_ args: Map, context: any Sendable) async throws -> SignUpResult {
        let context = try MetadataGraphQLContext.of(context)
        let users = try context.requireUsers()
        let email = args["email"].string ?? ""
        try await users.throttle.admit(email: email, address: context.clientAddress, logger: context.logger)
        let invitation = args["workspacePersonalInviteToken"].string
        if invitation == nil, args["workspaceId"].string != nil || args["workspaceInviteHash"].string != nil {
            throw AtriumError(.forbidden, "Joining an existing workspace needs an invitation (workspacePersonalInviteToken)")
        }
        let result = try await users.accounts.signUp(SignUpRequest(email: email, password: args["password"].string ?? "",
                                                                   invitationToken: invitation), logger: context.logger)
        if let workspaceID = args["workspaceId"].string.flatMap(UUID.init(text:)), workspaceID != result.workspace.id {
            throw AtriumError(.forbidden, "This invitation is for another workspace")
        }
        return result
    }

    /// `sendInvitations`: one invitation per email, each joining with `roleID` (else the default role); an email that
    /// cannot be invited is reported in `errors`.
    static func sendInvitations(emails: [String], roleID: UUID?, context: any Sendable) async throws -> [String: any Sendable] {
        let context = try MetadataGraphQLContext.of(context)
        let users = try context.requireUsers()
        guard case .member = try context.requireAuthentication().identity else {
            throw AtriumError(.forbidden, "Invitations are sent by a workspace member, not an API key")
        }
        try await context.require(.workspaceMembers)
        let workspace = try await users.accounts.workspace(id: try context.workspace, logger: context.logger)
        var errors: [String] = []
        var result: [[String: any Sendable]] = []
        for email in emails {
            do {
                let created = try await users.accounts.invite(email: email, workspaceID: workspace.id, roleID: roleID, logger: context.logger)
                result.append(invitation(created.invitation))
                context.logger.info("invitation created; email delivery is not available yet, the link is printed by the CLI",
                                    metadata: ["invitation": .string(created.invitation.id.lowercased)])
            } catch let error as AtriumError where error.code != .internalError {
                errors.append(error.message)
            }
        }
        return ["success": errors.isEmpty, "errors": errors, "result": result]
    }
}
