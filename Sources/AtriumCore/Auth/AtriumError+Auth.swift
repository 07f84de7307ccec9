// MARK: - Authentication errors

extension AtriumError {
    /// No bearer token was presented (no `Authorization: Bearer …` header).
    public static func missingToken(file: String = #fileID, line: Int = #line) -> AtriumError {
        AtriumError(.unauthenticated, "Missing authentication token", file: file, line: line)
    }

    /// The token is malformed, forged, of the wrong type, or names a key or workspace that does not exist.
    public static func invalidToken(file: String = #fileID, line: Int = #line) -> AtriumError {
        AtriumError(.unauthenticated, "Invalid token", file: file, line: line)
    }

    /// The token's `exp` (or its API key's `expiresAt`) has passed.
    public static func tokenExpired(file: String = #fileID, line: Int = #line) -> AtriumError {
        AtriumError(.unauthenticated, "Token has expired", file: file, line: line)
    }

    /// The token's API key was revoked.
    public static func apiKeyRevoked(file: String = #fileID, line: Int = #line) -> AtriumError {
        AtriumError(.unauthenticated, "This API key is revoked", file: file, line: line)
    }
}
