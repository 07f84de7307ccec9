import Foundation

/// How long each kind of user token lives, and the refresh-token reuse grace period.
///
/// - Configuration keys (Twenty's names, values in Twenty's `ms` notation: `30m`, `60d`, `15m`, `1m`, or plain
///   milliseconds):
///   - `ACCESS_TOKEN_EXPIRES_IN` (default `30m`): access tokens.
///   - `REFRESH_TOKEN_EXPIRES_IN` (default `60d`): refresh tokens.
///   - `LOGIN_TOKEN_EXPIRES_IN` (default `15m`): login tokens exchanged by `getAuthTokensFromLoginToken`.
///   - `REFRESH_TOKEN_COOL_DOWN` (default `1m`): a refresh token revoked less than this long ago may still be
///     presented (two tabs renewing at once); presented later, it revokes every refresh token of its user.
///   - `INVITATION_TOKEN_EXPIRES_IN` (default `30d`): workspace invitations.
public struct TokenLifetimes: Sendable, Hashable {
    public var access: Duration
    public var refresh: Duration
    public var login: Duration
    public var refreshCoolDown: Duration
    public var invitation: Duration

    /// Creates lifetimes.
    public init(access: Duration, refresh: Duration, login: Duration, refreshCoolDown: Duration, invitation: Duration) {
        self.access = access
        self.refresh = refresh
        self.login = login
        self.refreshCoolDown = refreshCoolDown
        self.invitation = invitation
    }

    /// Twenty's defaults.
    public static let defaults = TokenLifetimes(
        access: .seconds(30 * 60), refresh: .seconds(60 * 86_400), login: .seconds(15 * 60),
        refreshCoolDown: .seconds(60), invitation: .seconds(30 * 86_400)
    )

    /// Parses Twenty's `ms` notation: a number with an optional unit `ms`, `s`, `m`, `h`, `d`, `w` or `y`
    /// (no unit: milliseconds). Nil when `text` is not of that form, negative, or longer than Int64 milliseconds.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        guard let value = Double(number), value >= 0 else { return nil }
        let milliseconds: Double
        switch unit {
        case "", "ms": milliseconds = value
        case "s", "sec", "secs": milliseconds = value * 1000
        case "m", "min", "mins": milliseconds = value * 60_000
        case "h", "hr", "hrs": milliseconds = value * 3_600_000
        case "d", "day", "days": milliseconds = value * 86_400_000
        case "w", "week", "weeks": milliseconds = value * 604_800_000
        case "y", "year", "years": milliseconds = value * 31_557_600_000
        default: return nil
        }
        // `Int64(milliseconds)` would crash on a value past Int64 ("99999999999999999999y"): such a lifetime is refused.
        guard let whole = Int64(exactly: milliseconds.rounded(.down)) else { return nil }
        return .milliseconds(whole)
    }
}

/// Login throttling: at most `perEmail` sign-in attempts per email and `perIP` per client address within `window`.
///
/// - Configuration keys: `LOGIN_ATTEMPTS_PER_EMAIL` (default 10), `LOGIN_ATTEMPTS_PER_IP` (default 50),
///   `LOGIN_ATTEMPTS_TTL_IN_MS` (default 900000, 15 minutes). A limit of 0 turns that bucket off.
public struct LoginThrottleSettings: Sendable, Hashable {
    public var perEmail: Int
    public var perIP: Int
    public var window: Duration

    public init(perEmail: Int, perIP: Int, window: Duration) {
        self.perEmail = perEmail
        self.perIP = perIP
        self.window = window
    }
}
