/// The check every bench makes before it reports: a figure it measured must be a number greater than zero. A figure of 0
/// (or NaN, or infinity) means the measurement broke — nothing was timed, or the heap statistics were not read — never
/// that something is free, so the bench fails (a non-zero exit status) instead of printing a goal as met.
enum BenchFigures {
    /// A figure that was not measured.
    struct Implausible: Error, CustomStringConvertible {
        let figures: [String]
        var description: String {
            "implausible figures (not measured, or not greater than 0): " + figures.joined(separator: ", ")
        }
    }

    /// Throws ``Implausible`` naming every figure that is not a finite number greater than zero.
    /// - Parameter figures: Each figure's label and value.
    static func requirePositive(_ figures: KeyValuePairs<String, Double>) throws {
        try requirePositive(figures.map { ($0.key, $0.value) })
    }

    /// ``requirePositive(_:)-(KeyValuePairs<String,Double>)`` for figures gathered at run time.
    static func requirePositive(_ figures: [(String, Double)]) throws {
        let bad = figures.filter { !($0.1.isFinite && $0.1 > 0) }.map { "\($0.0) = \($0.1)" }
        guard bad.isEmpty else { throw Implausible(figures: bad) }
    }
}
