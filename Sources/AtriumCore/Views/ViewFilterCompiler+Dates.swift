import Foundation

extension ViewFilterCompiler {
    /// A DATE or DATE_TIME filter, "today" and "now" read in the caller's time zone (Twenty's
    /// `turnRecordFilterIntoGqlOperationFilter` for dates).
    func date(_ field: WorkspaceSchema.Field, _ operand: String, _ value: String) -> RecordFilter? {
        guard field.type == .date || field.type == .dateTime else { return nil }
        let path = FieldPath(field.name)
        let isDate = field.type == .date
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = context.timeZone
        let now = calendar.dateInterval(of: .minute, for: context.now)?.start ?? context.now
        let today = calendar.startOfDay(for: now)
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: today)!
        func text(_ instant: Date) -> String { isDate ? Self.day(instant, in: calendar.timeZone) : Self.instant(instant) }
        func range(_ start: Date, _ end: Date) -> RecordFilter {
            .and([.condition(path, .gte, .value(text(start))), .condition(path, .lt, .value(text(end)))])
        }
        switch operand {
        case "IS_IN_PAST": return .condition(path, .lt, .value(text(isDate ? today : now)))
        case "IS_IN_FUTURE": return isDate ? .condition(path, .gte, .value(text(today))) : .condition(path, .gt, .value(text(now)))
        case "IS_TODAY": return isDate ? .condition(path, .eq, .value(text(today))) : range(today, tomorrow)
        case "IS_RELATIVE":
            let (start, end) = Self.relative(value, now: now, timeZone: context.timeZone)
            return range(start, end)
        default: break
        }
        guard let moment = Self.parse(value, in: calendar.timeZone) else { return nil }
        let plainDay = value.count == 10
        switch operand {
        case "IS":
            if isDate { return .condition(path, .eq, .value(Self.day(moment.date, in: calendar.timeZone))) }
            if plainDay { return range(moment.date, calendar.date(byAdding: .day, value: 1, to: moment.date)!) }
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            let minute = utc.dateInterval(of: .minute, for: moment.date)!
            return range(minute.start, minute.end)
        case "IS_BEFORE": return .condition(path, .lt, .value(text(moment.date)))
        case "IS_AFTER": return .condition(path, .gte, .value(text(moment.date)))
        default: return nil
        }
    }

    /// A date (`2026-12-07`, midnight in `timeZone`) or an ISO 8601 instant.
    static func parse(_ value: String, in timeZone: TimeZone) -> (date: Date, plain: Bool)? {
        let trimmed = value.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        if trimmed.count == 10 {
            let formatter = DateFormatter()
            formatter.calendar = Calendar(identifier: .gregorian)
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = timeZone
            formatter.dateFormat = "yyyy-MM-dd"
            return formatter.date(from: trimmed).map { ($0, true) }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: trimmed) { return (date, false) }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: trimmed).map { ($0, false) }
    }

    /// The `[start, end)` of a relative date value — `(THIS|PAST|NEXT)_<n>_<unit>`, then optionally `;;<time zone>;;`
    /// and `<MONDAY|SUNDAY|SATURDAY>;;` (the first day of the week) — with `now` rounded to the minute. A value that
    /// does not parse reads as `PAST_1_DAY`, as in Twenty.
    static func relative(_ value: String, now: Date, timeZone: TimeZone) -> (Date, Date) {
        let parts = value.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).components(separatedBy: ";;")
        let head = parts.first?.split(separator: "_", omittingEmptySubsequences: false).map(String.init) ?? []
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = parts.count > 1 ? TimeZone(identifier: parts[1]) ?? timeZone : timeZone
        if parts.count > 2 { calendar.firstWeekday = ["SUNDAY": 1, "MONDAY": 2, "SATURDAY": 7][parts[2]] ?? calendar.firstWeekday }
        let units: [String: Calendar.Component] = [
            "SECOND": .second, "MINUTE": .minute, "HOUR": .hour, "DAY": .day, "WEEK": .weekOfYear, "MONTH": .month, "YEAR": .year,
        ]
        guard head.count == 3, ["THIS", "PAST", "NEXT"].contains(head[0]), let unit = units[head[2]],
              head[1].isEmpty || Int(head[1]) != nil
        else { return relative("PAST_1_DAY", now: now, timeZone: timeZone) }
        let amount = Int(head[1]) ?? 1
        switch head[0] {
        case "NEXT": return (now, calendar.date(byAdding: unit, value: amount, to: now) ?? now)
        case "PAST": return (calendar.date(byAdding: unit, value: -amount, to: now) ?? now, now)
        default:
            let interval = calendar.dateInterval(of: unit == .weekOfYear ? .weekOfYear : unit, for: now)
            return (interval?.start ?? now, interval?.end ?? now)
        }
    }

    static func instant(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func day(_ date: Date, in timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
