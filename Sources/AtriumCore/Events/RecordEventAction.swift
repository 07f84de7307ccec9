/// What a write did to a record, as Twenty names it: the event's name is `<objectNameSingular>.<action>`.
public enum RecordEventAction: String, Sendable, CaseIterable {
    case created, updated, deleted, destroyed, restored, upserted

    /// The event name for records of `object`, e.g. `company.updated`.
    public func eventName(for object: WorkspaceSchema.Object) -> String {
        "\(object.nameSingular).\(rawValue)"
    }
}
