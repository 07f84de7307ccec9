import Foundation

/// The PostgreSQL schema of a workspace: `workspace_` + the workspace UUID read as one 128-bit number in base 36,
/// as Twenty names it (`workspace_3joxkr9ofo5hlxja…`).
public enum WorkspaceSchemaName {
    /// The schema name of `workspace`.
    public static func of(_ workspace: UUID) -> String {
        let bytes = withUnsafeBytes(of: workspace.uuid) { Array($0) }
        var high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz")
        var digits: [Character] = []
        repeat {
            // Divide the 128-bit number (high:low) by 36, keeping the remainder.
            let highQuotient = high / 36
            let highRemainder = high % 36
            let (lowQuotient, remainder) = UInt64(36).dividingFullWidth((high: UInt64(highRemainder), low: low))
            high = highQuotient
            low = lowQuotient
            digits.append(alphabet[Int(remainder)])
        } while high != 0 || low != 0
        return "workspace_" + String(digits.reversed())
    }
}
