public import Foundation

/// One refused cell of an imported file (or a missing column, on the header's line): its line,
/// the column or field, and what was expected there.
public struct ImportProblem: Sendable, Hashable, Codable {
    public var line: Int
    public var field: String
    public var expected: String

    public init(line: Int, field: String, expected: String) {
        self.line = line
        self.field = field
        self.expected = expected
    }
}

/// Finished and running cases of an earlier system, one a row (CSV with a header, or NDJSON
/// with the same names as keys), checked row by row: each keeps its number, dates and status and
/// is placed on the grid by its grid code or its point. Every refusal names the line, the column
/// and what was expected.
public struct CaseImport: Sendable {
    public enum Column: String, Sendable, CaseIterable {
        case number, reportedAt, category, status, title, description, channel, grid, lat, lng, address
        case reporterName, reporterPhone, department, result, handledAt, closedAt, rating

        public static let required: [Column] = [.number, .reportedAt, .category, .status, .title]

        /// Its place in a row's cells.
        var position: Int { Self.positions[self]! }
        private static let positions = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
    }

    /// The statuses a case may be imported in: along the main flow, or rejected.
    public static let statuses: [CaseStatus] = [.reported, .accepted, .assigned, .inProgress, .handled, .verified, .rated, .closed, .archived, .rejected]

    /// One row as read: its line and its cells by column, trimmed. Kept in an array, not a
    /// dictionary: a file holds a million of them.
    public struct Row: Sendable {
        public var line: Int
        var cells: [String]

        public init(line: Int, cells: [Column: String]) {
            self.line = line
            self.cells = Column.allCases.map { cells[$0] ?? "" }
        }

        init(line: Int, ordered cells: [String]) {
            self.line = line
            self.cells = cells
        }

        func callAsFunction(_ column: Column) -> String { cells[column.position] }
    }

    /// A row that passed: what the timeline is built from.
    public struct Planned: Sendable {
        public var line: Int
        public var id: Int64
        public var reportedAt: Date
        public var category: Category
        public var status: CaseStatus
        public var title: String
        public var description: String
        public var channel: Channel
        public var areas: AreaPath
        public var location: GeoPoint?
        public var address: String?
        public var reporterName: String?
        public var reporterPhone: String?
        /// Who handled it, for a case dispatched or further.
        public var department: Department?
        public var result: String?
        public var handledAt: Date?
        public var closedAt: Date?
        public var rating: Rating?
    }

    public var planned: [Planned] = []
    public var problems: [ImportProblem] = []

    /// The rows of a CSV file: the header names the columns (any order; unknown ones are ignored).
    public static func rows(csv records: [CSV.Record]) -> (rows: [Row], problems: [ImportProblem]) {
        guard let header = records.first else {
            return ([], [ImportProblem(line: 1, field: "file", expected: "a header row and one row per case")])
        }
        var position: [(Column, Int)] = []
        for (index, title) in header.cells.enumerated() {
            if let column = Column(rawValue: CSV.trimmed(title)) { position.append((column, index)) }
        }
        let missing = Column.required.filter { column in !position.contains { $0.0 == column } }
        guard missing.isEmpty else {
            return ([], missing.map { ImportProblem(line: header.line, field: $0.rawValue, expected: "a column named \($0.rawValue)") })
        }
        let rows = records.dropFirst().map { record in
            var cells = [String](repeating: "", count: Column.allCases.count)
            for (column, index) in position { cells[column.position] = record.trimmed(index) }
            return Row(line: record.line, ordered: cells)
        }
        return (rows, [])
    }

    /// Checks every row against the city: its category, its grid or point, its department, and
    /// its dates in the order its status needs them. `area` is the importer's area: every case
    /// must lie in it.
    public init(_ rows: [Row], directory: Directory, areaID: Int64, calendar: WorkCalendar) {
        let timeZone = calendar.timeZone
        var seen: [Int64: Int] = [:]
        var departmentsByName: [String: [Department]] = [:]
        for department in directory.departments.values where department.retiredAt == nil {
            departmentsByName[department.name, default: []].append(department)
        }
        let parents = Set(directory.categories.values.compactMap(\.parentID))
        let statusNames = Self.statuses.map(\.rawValue).joined(separator: ", ")
        for row in rows {
            var refused = false
            func refuse(_ column: Column, _ expected: String) {
                problems.append(ImportProblem(line: row.line, field: column.rawValue, expected: expected))
                refused = true
            }
            func date(_ column: Column) -> Date? {
                let text = row(column)
                guard !text.isEmpty else { return nil }
                guard let date = Self.date(text, timeZone: timeZone) else {
                    refuse(column, "a time as 2025-03-12T09:30:00+08:00 or 2025-03-12 09:30 (city time), got '\(text)'")
                    return nil
                }
                return date
            }

            let id = Self.id(number: row(.number))
            if id == nil { refuse(.number, "a case number as 20250312-00001234, or a positive whole number, got '\(row(.number))'") }
            if let id, let earlier = seen[id] { refuse(.number, "a number not given before in the file (line \(earlier) has it)") }
            if let id { seen[id] = seen[id] ?? row.line }
            let reportedAt = date(.reportedAt)
            if row(.reportedAt).isEmpty { refuse(.reportedAt, "the time the case was reported") }
            if id != nil, let reportedAt, let day = Self.day(ofNumber: row(.number)), day != calendar.dayKey(reportedAt) {
                refuse(.number, "a number whose date is the day reportedAt gives (\(calendar.dayKey(reportedAt)))")
            }
            let category = directory.category(code: row(.category))
            if category == nil || parents.contains(category!.id) {
                refuse(.category, "the code of a category without subcategories, got '\(row(.category))'")
            }
            let status = CaseStatus(rawValue: row(.status)).flatMap { Self.statuses.contains($0) ? $0 : nil }
            if status == nil { refuse(.status, "one of \(statusNames)") }
            let title = row(.title)
            if !(1...200).contains(title.count) { refuse(.title, "a title of 1–200 characters") }
            let description = row(.description)
            if description.count > 5_000 { refuse(.description, "a description of at most 5,000 characters") }
            var channel = Channel.window
            if !row(.channel).isEmpty {
                if let named = Channel(rawValue: row(.channel)) { channel = named } else {
                    refuse(.channel, "one of \(Channel.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }

            var areas: AreaPath?
            var location: GeoPoint?
            if !row(.lat).isEmpty || !row(.lng).isEmpty {
                if let lat = Double(row(.lat)), let lng = Double(row(.lng)), let point = try? GeoPoint(lat: lat, lng: lng).validated() {
                    location = point
                    if let grid = directory.locator.grid(containing: point) { areas = directory.path(ofGrid: grid) }
                    if areas == nil, row(.grid).isEmpty { refuse(.lat, "a point inside one of the city's grids") }
                } else {
                    refuse(.lat, "lat and lng in degrees (WGS-84), both or neither")
                }
            }
            if !row(.grid).isEmpty {
                if let grid = directory.area(code: row(.grid)), grid.level == .grid, let path = directory.path(ofGrid: grid.id) {
                    if let areas, areas != path { refuse(.grid, "the grid the point lies in, or no point") }
                    areas = path
                } else {
                    refuse(.grid, "the code of one of the city's grids, got '\(row(.grid))'")
                }
            } else if location == nil {
                refuse(.grid, "a grid code, or a point in lat and lng")
            }
            if let path = areas, !AdminLevel.allCases.contains(where: { path[$0] == areaID }) {
                refuse(.grid, "a place inside the importing account's area")
            }
            let address = row(.address)
            if address.count > 200 { refuse(.address, "an address of at most 200 characters") }
            let phone = row(.reporterPhone)
            if !phone.isEmpty, (try? PersonalData.validatePhone(phone, field: "reporterPhone")) == nil {
                refuse(.reporterPhone, "a phone number of 7–12 digits, got '\(phone)'")
            }
            if row(.reporterName).count > 50 { refuse(.reporterName, "a name of at most 50 characters") }

            // A case dispatched or further was handled by a department: the one named (in the
            // case's county, town or village, or the city), else the one its category suggests.
            var department: Department?
            let dispatched = status.map { [.assigned, .inProgress, .handled, .verified, .rated, .closed, .archived].contains($0) } ?? false
            if let category, let path = areas, dispatched {
                if row(.department).isEmpty {
                    let routing = CaseRouting.route(areas: path, category: category, department: directory.department(kind:areaID:))
                    department = routing.suggestedDepartmentID.flatMap { directory.departments[$0] }
                    if department == nil { refuse(.department, "the name of the department that handled it (the category suggests none here)") }
                } else {
                    department = departmentsByName[row(.department)]?.first { department in
                        AdminLevel.allCases.contains { path[$0] == department.areaID }
                    }
                    if department == nil { refuse(.department, "the name of a department of the case's village, town, county or city, got '\(row(.department))'") }
                }
            }
            let result = row(.result)
            let finished = status.map { [.handled, .verified, .rated, .closed, .archived].contains($0) } ?? false
            if finished, result.isEmpty { refuse(.result, "what was done (a case \(status!.rawValue) was fed back)") }
            if status == .rejected, result.isEmpty { refuse(.result, "why it was rejected") }
            if result.count > 5_000 { refuse(.result, "a result of at most 5,000 characters") }
            let handledAt = date(.handledAt)
            let closedAt = date(.closedAt)
            if let status, [.closed, .archived].contains(status), row(.closedAt).isEmpty { refuse(.closedAt, "the time a \(status.rawValue) case was closed") }
            if let reportedAt, let handledAt, handledAt < reportedAt { refuse(.handledAt, "a time not before reportedAt") }
            if let closedAt, let earlier = handledAt ?? reportedAt, closedAt < earlier { refuse(.closedAt, "a time not before handledAt and reportedAt") }
            var rating: Rating?
            if !row(.rating).isEmpty {
                rating = Rating(rawValue: row(.rating))
                if rating == nil { refuse(.rating, "one of \(Rating.allCases.map(\.rawValue).joined(separator: ", "))") }
            } else if status == .rated {
                refuse(.rating, "the reporter's rating of a rated case")
            }
            guard !refused, let id, let reportedAt, let category, let status, let areas else { continue }
            planned.append(
                Planned(
                    line: row.line, id: id, reportedAt: reportedAt, category: category, status: status, title: title, description: description,
                    channel: channel, areas: areas, location: location, address: address.isEmpty ? nil : address,
                    reporterName: row(.reporterName).isEmpty ? nil : row(.reporterName), reporterPhone: phone.isEmpty ? nil : phone,
                    department: department, result: result.isEmpty ? nil : result, handledAt: handledAt, closedAt: closedAt, rating: rating))
        }
        if rows.isEmpty { problems.append(ImportProblem(line: 1, field: "file", expected: "at least one case")) }
    }

    /// Refuses the rows whose number is already a case (the store says which): a second import
    /// of a file takes nothing twice.
    public mutating func refuse(alreadyRecorded: Set<Int64>) {
        guard !alreadyRecorded.isEmpty else { return }
        for case let item in planned where alreadyRecorded.contains(item.id) {
            problems.append(ImportProblem(line: item.line, field: Column.number.rawValue, expected: "a case number not yet recorded (this case is)"))
        }
        planned.removeAll { alreadyRecorded.contains($0.id) }
    }

    /// The rows refused, in the file's order.
    public var sortedProblems: [ImportProblem] { problems.sorted { ($0.line, $0.field) < ($1.line, $1.field) } }

    // MARK: Cells

    /// The id of a case number: `20250312-00001234` (`CaseNumber`'s form) or the id alone.
    static func id(number: String) -> Int64? {
        let digits = number.split(separator: "-", omittingEmptySubsequences: false)
        let idPart: Substring
        switch digits.count {
        case 1: idPart = digits[0]
        case 2 where digits[0].count == 8 && digits[0].allSatisfy(\.isASCII) && Int(digits[0]) != nil: idPart = digits[1]
        default: return nil
        }
        guard let id = Int64(idPart), id > 0, idPart.allSatisfy(\.isASCII) else { return nil }
        return id
    }

    static func day(ofNumber number: String) -> String? {
        let parts = number.split(separator: "-")
        guard parts.count == 2 else { return nil }
        let day = parts[0]
        return "\(day.prefix(4))-\(day.dropFirst(4).prefix(2))-\(day.suffix(2))"
    }

    /// `2025-03-12T09:30:00+08:00`, `…Z`, or without an offset (`2025-03-12 09:30[:00]`) in the
    /// city's time. Read by hand: a million rows hold two or three times each, and
    /// `ISO8601DateFormatter` would take longer than the whole write.
    public static func date(_ text: String, timeZone: TimeZone) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 16, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2), let minute = number(14, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60
        else { return nil }
        var index = 16
        var second = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            guard let value = number(17, 2), value < 60 else { return nil }
            second = value
            index = 19
        }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        guard day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] else { return nil }
        let days = Self.days(year: year, month: month, day: day)
        let local = days * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
        if index == bytes.count {
            // The city's offset at that moment (a city with summer time would be off by an hour on
            // the night the clocks change; China keeps none).
            let guess = Date(timeIntervalSince1970: Double(local))
            return Date(timeIntervalSince1970: Double(local - Int64(timeZone.secondsFromGMT(for: guess))))
        }
        if bytes[index] == UInt8(ascii: "Z"), index + 1 == bytes.count { return Date(timeIntervalSince1970: Double(local)) }
        guard index + 6 == bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
            bytes[index + 3] == UInt8(ascii: ":"), let hours = number(index + 1, 2), let minutes = number(index + 4, 2), hours < 15, minutes < 60
        else { return nil }
        let offset = Int64(hours * 3_600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        return Date(timeIntervalSince1970: Double(local - offset))
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
