import Foundation

/// The `p` quantile of `values` (nearest rank; 0 for no values, which ``BenchFigures`` then refuses as unmeasured).
func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
}

/// The median of `values` (``percentile(_:_:)`` at 0.5).
func median(_ values: [Double]) -> Double { percentile(values, 0.5) }

/// A figure as printed: one decimal.
func format(_ value: Double) -> String { String(format: "%.1f", value) }
