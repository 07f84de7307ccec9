/// Twenty's rules for the names of objects and fields created through the metadata API.
///
/// A name is camelCase ASCII (`^[a-z][a-zA-Z0-9]*$`), at most 63 characters (PostgreSQL's identifier limit), and not
/// one of Twenty's reserved keywords (`RESERVED_METADATA_NAME_KEYWORDS`: core object names and API words).
public enum MetadataNameRules {
    /// The longest name, in bytes.
    public static let maximumLength = 63

    /// Twenty's reserved keywords: names of `core` entities (singular and plural) and words the APIs use.
    public static let reservedKeywords: Set<String> = [
        "approvedAccessDomain", "approvedAccessDomains", "appToken", "appTokens", "billingCustomer", "billingCustomers",
        "billingEntitlement", "billingEntitlements", "billingMeter", "billingMeters", "billingProduct", "billingProducts",
        "billingSubscription", "billingSubscriptions", "billingSubscriptionItem", "billingSubscriptionItems",
        "featureFlag", "featureFlags", "job", "jobs", "keyValuePair", "keyValuePairs", "pageLayout", "pageLayouts",
        "pageLayoutTab", "pageLayoutTabs", "pageLayoutWidget", "pageLayoutWidgets", "postgresCredential",
        "postgresCredentials", "twoFactorMethod", "twoFactorMethods", "user", "users", "userWorkspace", "userWorkspaces",
        "workspace", "workspaces", "role", "roles", "userWorkspaceRole", "userWorkspaceRoles",
        "plan", "plans", "event", "events", "field", "fields", "link", "links", "currency", "currencies", "fullNames",
        "address", "addresses", "type", "types", "object", "objects", "index", "relation", "relations", "aggregate",
    ]

    /// Checks `name` (of a thing called `what`, e.g. "field name").
    /// - Throws: ``AtriumError`` `.validationFailed` naming the problem.
    public static func validate(_ name: String, what: String) throws(AtriumError) {
        guard !name.isEmpty else { throw AtriumError(.validationFailed, "The \(what) cannot be empty") }
        guard name.utf8.count <= maximumLength else {
            throw AtriumError(.validationFailed, "The \(what) \"\(name)\" exceeds \(maximumLength) characters")
        }
        let bytes = Array(name.utf8)
        guard (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[0]),
              bytes.allSatisfy({ isLetterOrDigit($0) })
        else {
            throw AtriumError(.validationFailed, "The \(what) \"\(name)\" must be camelCase: a lower-case letter, then letters and digits (^[a-z][a-zA-Z0-9]*$)")
        }
        guard !reservedKeywords.contains(name) else {
            throw AtriumError(.validationFailed, "The name \"\(name)\" is not available")
        }
    }

    /// Checks a label: not blank, at most 255 characters, no NUL.
    /// - Throws: ``AtriumError`` `.validationFailed`.
    public static func validateLabel(_ label: String, what: String) throws(AtriumError) {
        guard !label.trimmingWhitespaceAndNewlines.isEmpty else { throw AtriumError(.validationFailed, "The \(what) cannot be empty") }
        guard label.count <= 255 else { throw AtriumError(.validationFailed, "The \(what) exceeds 255 characters") }
        guard !label.unicodeScalars.contains("\u{0}") else { throw AtriumError(.validationFailed, "The \(what) cannot contain NUL characters") }
    }

    /// A SELECT/MULTI_SELECT option value: upper snake case (`IN_PROGRESS`), at most 63 characters (an enum label).
    /// - Throws: ``AtriumError`` `.validationFailed`.
    public static func validateOptionValue(_ value: String) throws(AtriumError) {
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty, bytes.count <= maximumLength,
              bytes.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                                 || $0 == UInt8(ascii: "_") })
        else {
            throw AtriumError(.validationFailed, "Option value \"\(value)\" must be upper snake case (^[A-Z0-9_]+$) and at most 63 characters")
        }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// `camelCase` of a label (`"Primary Contacts"` → `primaryContacts`), for names derived from labels.
    public static func camelCase(_ label: String) -> String {
        let words = label.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.map(String.init)
        guard let first = words.first else { return "" }
        var result = first.prefix(1).lowercased() + first.dropFirst()
        for word in words.dropFirst() { result += word.prefix(1).uppercased() + word.dropFirst() }
        while let character = result.first, character.isNumber { result.removeFirst() }
        return result
    }
}

extension String {
    var trimmingWhitespaceAndNewlines: Substring {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
