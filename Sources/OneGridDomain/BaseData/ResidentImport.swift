public import Foundation

/// A household register (花名册) as a village keeps it in a spreadsheet, one person a row, read
/// and checked row by row. Rows of one household share its 户号; every refusal names the line,
/// the column and what was expected, and a file with any refused row writes nothing.
public struct ResidentImport: Sendable {
    /// The columns, by their name in code; the header may use the Chinese or the English name.
    public enum Column: String, Sendable, CaseIterable {
        case grid, household, address, unit, name, idNumber, phone, relation, kind, registration

        public var chineseName: String {
            switch self {
            case .grid: "网格编码"
            case .household: "户号"
            case .address: "住址"
            case .unit: "门牌"
            case .name: "姓名"
            case .idNumber: "身份证号"
            case .phone: "联系电话"
            case .relation: "与户主关系"
            case .kind: "人员类别"
            case .registration: "户籍类型"
            }
        }

        /// The columns a file must have; the others may be left out.
        public static let required: [Column] = [.grid, .household, .address, .name, .idNumber, .kind, .registration]
    }

    public typealias Problem = ImportProblem

    public struct Person: Sendable, Hashable {
        public var line: Int
        public var name: String
        public var idNumber: String
        public var phone: String?
        public var relation: String?
        public var kind: String
        public var registration: Registration

        public init(line: Int, name: String, idNumber: String, phone: String?, relation: String?, kind: String, registration: Registration) {
            self.line = line
            self.name = name
            self.idNumber = idNumber
            self.phone = phone
            self.relation = relation
            self.kind = kind
            self.registration = registration
        }
    }

    /// A household to be written with its people, in the order of the file.
    public struct NewHousehold: Sendable, Hashable {
        public var key: String
        public var areas: AreaPath
        public var address: String
        public var unit: String?
        public var registration: Registration
        public var phone: String?
        public var people: [Person]
        /// The building it lives in, where the register says.
        public var placeID: Int64?

        public init(
            key: String, areas: AreaPath, address: String, unit: String? = nil, registration: Registration, phone: String?, people: [Person],
            placeID: Int64? = nil
        ) {
            self.key = key
            self.areas = areas
            self.address = address
            self.unit = unit
            self.registration = registration
            self.phone = phone
            self.people = people
            self.placeID = placeID
        }
    }

    public var households: [NewHousehold]
    public var problems: [Problem]

    public var peopleCount: Int { households.reduce(0) { $0 + $1.people.count } }

    /// Reads the records of a file for a post: grids must lie in its area, kinds must be person
    /// kinds it may see, an ID number may appear once.
    public init(_ records: [CSV.Record], directory: Directory, kinds: [BaseKind], hiddenKinds: Set<String>, post: Post) {
        households = []
        problems = []
        guard let header = records.first else {
            problems.append(Problem(line: 1, field: "file", expected: "a header row and one row per person"))
            return
        }
        var position: [Column: Int] = [:]
        for (index, title) in header.cells.enumerated() {
            let trimmed = CSV.trimmed(title)
            if let column = Column.allCases.first(where: { $0.rawValue == trimmed || $0.chineseName == trimmed }) {
                position[column] = index
            }
        }
        for column in Column.required where position[column] == nil {
            problems.append(Problem(line: header.line, field: column.rawValue, expected: "a column named \(column.chineseName) or \(column.rawValue)"))
        }
        guard problems.isEmpty else { return }

        var personKinds: [String: BaseKind] = [:]
        for kind in kinds where kind.subject == .resident {
            personKinds[kind.code] = kind
            personKinds[kind.name] = kind
        }
        let kindNames = kinds.filter { $0.subject == .resident && !hiddenKinds.contains($0.code) }.map(\.name).joined(separator: ", ")
        var registrations: [String: Registration] = [:]
        for registration in Registration.allCases {
            registrations[registration.rawValue] = registration
            registrations[registration.chineseName] = registration
            registrations[String(registration.chineseName.prefix(2))] = registration
        }
        var gridPaths: [String: AreaPath] = [:]
        var seenIDs: [String: Int] = [:]
        var households: [String: Int] = [:]

        for record in records.dropFirst() {
            func cell(_ column: Column) -> String { record.trimmed(position[column]) }
            var refused = false
            func refuse(_ column: Column, _ expected: String) {
                problems.append(Problem(line: record.line, field: column.rawValue, expected: expected))
                refused = true
            }
            let gridCode = cell(.grid)
            var areas = gridPaths[gridCode]
            if areas == nil, let grid = directory.area(code: gridCode), grid.level == .grid, grid.retiredAt == nil {
                areas = directory.path(ofGrid: grid.id)
                gridPaths[gridCode] = areas
            }
            if let path = areas {
                if !BaseDataPolicy.canSee(path, as: post) { refuse(.grid, "a grid inside the area of this post, got \(gridCode)") }
            } else {
                refuse(.grid, "the 12-digit code of a grid, got '\(gridCode)'")
            }
            let key = cell(.household)
            if key.isEmpty || key.count > 50 { refuse(.household, "a household number (户号) of 1–50 characters") }
            let address = cell(.address)
            if address.isEmpty || address.count > 200 { refuse(.address, "an address of 1–200 characters") }
            let name = cell(.name)
            if name.isEmpty || name.count > 50 { refuse(.name, "a name of 1–50 characters") }
            let idNumber = cell(.idNumber).uppercased()
            do {
                try PersonalData.validateIDNumber(idNumber, field: Column.idNumber.rawValue)
                if let earlier = seenIDs[idNumber] {
                    refuse(.idNumber, "an ID number not given before in the file (line \(earlier) has it)")
                } else {
                    seenIDs[idNumber] = record.line
                }
            } catch {
                refuse(.idNumber, "an 18-character resident ID number with a correct check character, got '\(cell(.idNumber))'")
            }
            let phone = cell(.phone)
            if !phone.isEmpty, (try? PersonalData.validatePhone(phone, field: "phone")) == nil {
                refuse(.phone, "a phone number of 7–12 digits, got '\(phone)'")
            }
            let kind = personKinds[cell(.kind)]
            if kind == nil || hiddenKinds.contains(kind!.code) { refuse(.kind, "one of the person kinds: \(kindNames)") }
            let registration = registrations[cell(.registration)]
            if registration == nil { refuse(.registration, "户籍, 流动 or 未落户 (registered, floating, unregistered)") }
            let unit = cell(.unit)
            if unit.count > 50 { refuse(.unit, "a unit of at most 50 characters") }
            guard !refused, let areas, let kind, let registration else { continue }

            let person = Person(
                line: record.line, name: name, idNumber: idNumber, phone: phone.isEmpty ? nil : phone,
                relation: cell(.relation).isEmpty ? nil : cell(.relation), kind: kind.code, registration: registration)
            if let index = households[key] {
                guard self.households[index].areas == areas, self.households[index].address == address else {
                    refuse(.household, "the grid and address of household \(key) as its first row gives them (line \(self.households[index].people[0].line))")
                    continue
                }
                self.households[index].people.append(person)
            } else {
                households[key] = self.households.count
                self.households.append(
                    NewHousehold(
                        key: key, areas: areas, address: address, unit: unit.isEmpty ? nil : unit, registration: registration,
                        phone: person.phone, people: [person]))
            }
        }
        if records.count < 2 { problems.append(Problem(line: header.line, field: "file", expected: "at least one row below the header")) }
        problems.sort { ($0.line, $0.field) < ($1.line, $1.field) }
    }

    /// Refuses the rows whose ID number is already recorded (the store says which).
    public mutating func refuse(alreadyRecorded: Set<String>) {
        for household in households {
            for person in household.people where alreadyRecorded.contains(person.idNumber) {
                problems.append(Problem(line: person.line, field: Column.idNumber.rawValue, expected: "an ID number not yet recorded (this person is)"))
            }
        }
        problems.sort { ($0.line, $0.field) < ($1.line, $1.field) }
    }
}
