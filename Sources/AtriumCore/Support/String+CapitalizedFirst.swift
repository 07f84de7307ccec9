extension String {
    /// `company` → `Company` (Twenty's aggregate names: `sumEmployees`).
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
