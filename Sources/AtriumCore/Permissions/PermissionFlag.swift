/// Twenty's permission flags (`core."permissionFlag".flag`, CONTRACT.md §7): settings flags pass when a role has the
/// flag or `canUpdateAllSettings`; tool flags when it has the flag or `canAccessAllTools`.
public enum PermissionFlag: String, Sendable, Hashable, CaseIterable, Codable {
    case ai = "AI", aiSettings = "AI_SETTINGS", apiKeysAndWebhooks = "API_KEYS_AND_WEBHOOKS", applications = "APPLICATIONS"
    case billing = "BILLING", codeInterpreterTool = "CODE_INTERPRETER_TOOL", connectedAccounts = "CONNECTED_ACCOUNTS"
    case dataModel = "DATA_MODEL", downloadFile = "DOWNLOAD_FILE", exportCSV = "EXPORT_CSV", httpRequestTool = "HTTP_REQUEST_TOOL"
    case impersonate = "IMPERSONATE", importCSV = "IMPORT_CSV", layouts = "LAYOUTS", marketplaceApps = "MARKETPLACE_APPS"
    case profileInformation = "PROFILE_INFORMATION", roles = "ROLES", security = "SECURITY", sendEmailTool = "SEND_EMAIL_TOOL"
    case ssoBypass = "SSO_BYPASS", uploadFile = "UPLOAD_FILE", views = "VIEWS", workflows = "WORKFLOWS", workspace = "WORKSPACE"
    case workspaceMembers = "WORKSPACE_MEMBERS"

    /// Flags granted by `canAccessAllTools` rather than `canUpdateAllSettings`.
    public var isTool: Bool {
        switch self {
        case .ai, .codeInterpreterTool, .downloadFile, .exportCSV, .httpRequestTool, .importCSV, .sendEmailTool, .uploadFile: true
        default: false
        }
    }
}
