import OneGridDomain
import OneGridStore

extension DemoCity {
    /// Someone who acts on cases: the post they act as, and how a reporter field would name them.
    struct Actor {
        var post: Post
        var name: String
        var phone: String
    }

    /// The users and their posts. The walkthrough users come first with fixed names; then one
    /// user for every other post the cases need, named after what it covers: `gw.<grid code>`,
    /// `disp.<area code>`, `window.<town code>`, `dept.<department id>`. Each user holds one post,
    /// with the same id.
    struct People {
        private(set) var users: [User] = []
        private(set) var posts: [Post] = []
        private(set) var credentials: [Credential] = []
        private(set) var gridWorkers: [Int64: Actor] = [:]
        /// By area: the dispatcher of that centre (village, town, county or city).
        private(set) var dispatchers: [Int64: Actor] = [:]
        /// By town.
        private(set) var windowClerks: [Int64: Actor] = [:]
        /// By department.
        private(set) var handlers: [Int64: Actor] = [:]
        private(set) var hotline: Actor!
        private(set) var citizen: Actor!

        /// Short names of department kinds in walkthrough usernames (`handler.town1.market`).
        private static let shortKind: [String: String] = [
            "market-supervision": "market", "civil-affairs": "civil",
        ]

        init(hierarchy: Hierarchy, seed: UInt64) {
            // Its own stream, so names stay put when the case generator changes.
            var rng = SeededGenerator(seed: seed ^ 0x5045_4F50_4C45)
            let city = hierarchy.city
            let county = hierarchy.counties[0]
            let town = hierarchy.towns[0]
            let village = hierarchy.villages[0]
            let grid = hierarchy.grids[0].area
            let departmentNames = Dictionary(uniqueKeysWithValues: hierarchy.departments.map { ($0.id, $0.name) })
            var named: Set<String> = []

            func add(_ username: String, _ role: Role, _ area: Area, department: Department? = nil, listed: Bool) -> Actor {
                let id = Int64(users.count + 1)
                let actor = Actor(
                    post: Post(id: id, userID: id, role: role, areaID: area.id, areaLevel: area.level, departmentID: department?.id),
                    name: DemoTexts.personName(using: &rng), phone: DemoTexts.phone(using: &rng))
                users.append(User(id: id, username: username, displayName: actor.name, phone: actor.phone))
                posts.append(actor.post)
                named.insert(Self.postKey(role, area.id, department?.id))
                if listed {
                    let place = department.flatMap { departmentNames[$0.id] } ?? area.name
                    credentials.append(
                        Credential(username: username, password: DemoCity.password, role: role, post: "\(role.chineseName) @ \(place)"))
                }
                switch role {
                case .gridWorker: gridWorkers[area.id] = actor
                case .dispatcher: dispatchers[area.id] = actor
                case .windowClerk: windowClerks[area.id] = actor
                case .departmentHandler: department.map { handlers[$0.id] = actor }
                case .hotlineAgent: hotline = actor
                case .citizen: citizen = actor
                case .mediator, .leader, .administrator: break
                }
                return actor
            }
            func handler(_ kind: String, of area: Area, as alias: String, listed: Bool) {
                guard let department = hierarchy.department(kind: kind, areaID: area.id) else { return }
                let suffix = kind == "village-committee" ? "" : "." + (Self.shortKind[kind] ?? kind)
                _ = add("handler.\(alias)\(suffix)", .departmentHandler, area, department: department, listed: listed)
            }

            _ = add("gridworker1", .gridWorker, grid, listed: true)
            _ = add("village1", .dispatcher, village, listed: true)
            _ = add("town1", .dispatcher, town, listed: true)
            _ = add("county1", .dispatcher, county, listed: true)
            _ = add("city", .dispatcher, city, listed: true)
            _ = add("window1", .windowClerk, town, listed: true)
            _ = add("hotline", .hotlineAgent, city, listed: true)
            _ = add("citizen1", .citizen, grid, listed: true)
            _ = add("leader", .leader, city, listed: true)
            _ = add("leader.town1", .leader, town, listed: true)
            _ = add("admin", .administrator, city, listed: true)
            _ = add("mediator1", .mediator, town, listed: true)
            // The handlers the five walkthrough categories reach, listed; then the rest of the
            // first village's, town's and county's departments, and the city's, by the same pattern.
            let listedHandlers: [(kind: String, area: Area, alias: String)] = [
                ("village-committee", village, "village1"), ("mediation", village, "village1"),
                ("market-supervision", town, "town1"), ("enforcement", town, "town1"), ("police", town, "town1"),
                ("emergency", town, "town1"), ("housing", county, "county1"), ("petition", county, "county1"),
            ]
            for entry in listedHandlers { handler(entry.kind, of: entry.area, as: entry.alias, listed: true) }
            for (area, alias) in [(village, "village1"), (town, "town1"), (county, "county1"), (city, "city")] {
                for department in hierarchy.departments(in: area.id) {
                    guard !named.contains(Self.postKey(.departmentHandler, area.id, department.id)) else { continue }
                    handler(department.kind, of: area, as: alias, listed: false)
                }
            }

            for new in hierarchy.areas {
                let area = new.area
                let code = area.code
                switch area.level {
                case .grid:
                    if !named.contains(Self.postKey(.gridWorker, area.id, nil)) {
                        _ = add("gw.\(code)", .gridWorker, area, listed: false)
                    }
                case .village, .county:
                    if !named.contains(Self.postKey(.dispatcher, area.id, nil)) {
                        _ = add("disp.\(code)", .dispatcher, area, listed: false)
                    }
                case .town:
                    if !named.contains(Self.postKey(.dispatcher, area.id, nil)) {
                        _ = add("disp.\(code)", .dispatcher, area, listed: false)
                    }
                    if !named.contains(Self.postKey(.windowClerk, area.id, nil)) {
                        _ = add("window.\(code)", .windowClerk, area, listed: false)
                    }
                case .city:
                    break
                }
            }
            let areasByID = Dictionary(uniqueKeysWithValues: hierarchy.areas.map { ($0.area.id, $0.area) })
            for department in hierarchy.departments
            where !named.contains(Self.postKey(.departmentHandler, department.areaID, department.id)) {
                _ = add("dept.\(department.id)", .departmentHandler, areasByID[department.areaID]!, department: department, listed: false)
            }
        }

        private static func postKey(_ role: Role, _ areaID: Int64, _ departmentID: Int64?) -> String {
            "\(role.rawValue)@\(areaID)#\(departmentID ?? 0)"
        }
    }
}
