import OneGridDomain
import OneGridStore

extension DemoCity {
    /// Someone who acts on cases: the post they act as, and how a reporter field would name them.
    struct Actor {
        var post: Post
        var name: String
        var phone: String
    }

    /// The users and their posts. The walkthrough users come first with fixed names; then, area
    /// by area, one user for every other post the cases need, named after what it covers:
    /// `gw.<grid code>`, `disp.<area code>`, `window.<town code>`, `dept.<department id>`. Each
    /// user holds one post, with the same id.
    struct People {
        let users: [User]
        let posts: [Post]
        /// The walkthrough users worth listing, in the order they are introduced.
        let credentials: [Credential]
        /// By grid.
        let gridWorkers: [Int64: Actor]
        /// By area: the dispatcher of that centre (village, town, county or city).
        let dispatchers: [Int64: Actor]
        /// By town.
        let windowClerks: [Int64: Actor]
        /// By department.
        let handlers: [Int64: Actor]
        /// By town: the mediator of its people's mediation committee.
        let mediators: [Int64: Actor]
        let hotline: Actor
        let citizen: Actor

        /// Short names of department kinds in walkthrough usernames (`handler.town1.market`).
        private static let shortKind: [String: String] = ["market-supervision": "market", "civil-affairs": "civil"]

        init(hierarchy: Hierarchy, seed: UInt64) {
            // Its own stream, so names stay put when the case generator changes.
            var rng = SeededGenerator(seed: seed ^ 0x5045_4F50_4C45)
            var users: [User] = []
            var posts: [Post] = []
            var credentials: [Credential] = []
            var gridWorkers: [Int64: Actor] = [:]
            var dispatchers: [Int64: Actor] = [:]
            var windowClerks: [Int64: Actor] = [:]
            var handlers: [Int64: Actor] = [:]
            var mediators: [Int64: Actor] = [:]

            @discardableResult
            func add(
                _ username: String, _ role: Role, _ area: Area, department: Department? = nil, listed: Bool = false
            ) -> Actor {
                let id = Int64(users.count + 1)
                let actor = Actor(
                    post: Post(
                        id: id, userID: id, role: role, areaID: area.id, areaLevel: area.level,
                        departmentID: department?.id),
                    name: DemoTexts.personName(using: &rng), phone: DemoTexts.phone(using: &rng))
                users.append(User(id: id, username: username, displayName: actor.name, phone: actor.phone))
                posts.append(actor.post)
                if listed {
                    credentials.append(
                        Credential(
                            username: username, password: DemoCity.password, role: role,
                            post: "\(role.chineseName) @ \(department?.name ?? area.name)"))
                }
                switch role {
                case .gridWorker: gridWorkers[area.id] = actor
                case .dispatcher: dispatchers[area.id] = actor
                case .windowClerk: windowClerks[area.id] = actor
                case .departmentHandler: if let department { handlers[department.id] = actor }
                case .mediator: mediators[area.id] = actor
                case .citizen, .hotlineAgent, .leader, .administrator: break
                }
                return actor
            }
            func handler(_ kind: String, of area: Area, as alias: String, listed: Bool = false) {
                guard let department = hierarchy.department(kind: kind, areaID: area.id), handlers[department.id] == nil
                else { return }
                let suffix = kind == "village-committee" ? "" : "." + (Self.shortKind[kind] ?? kind)
                add("handler.\(alias)\(suffix)", .departmentHandler, area, department: department, listed: listed)
            }

            let city = hierarchy.city
            let county = hierarchy.counties[0]
            let town = hierarchy.towns[0]
            let village = hierarchy.villages[0]
            let grid = hierarchy.grids[0].area
            add("gridworker1", .gridWorker, grid, listed: true)
            add("village1", .dispatcher, village, listed: true)
            add("town1", .dispatcher, town, listed: true)
            add("county1", .dispatcher, county, listed: true)
            add("city", .dispatcher, city, listed: true)
            add("window1", .windowClerk, town, listed: true)
            let hotline = add("hotline", .hotlineAgent, city, listed: true)
            let citizen = add("citizen1", .citizen, grid, listed: true)
            add("leader", .leader, city, listed: true)
            add("leader.town1", .leader, town, listed: true)
            add("admin", .administrator, city, listed: true)
            add("mediator1", .mediator, town, listed: true)
            // The handlers the five walkthrough categories reach, listed; then the rest of the
            // first village's, town's and county's departments, and the city's, by the same pattern.
            let listedHandlers: [(kind: String, area: Area, alias: String)] = [
                ("village-committee", village, "village1"), ("mediation", village, "village1"),
                ("market-supervision", town, "town1"), ("enforcement", town, "town1"), ("police", town, "town1"),
                ("emergency", town, "town1"), ("housing", county, "county1"), ("petition", county, "county1"),
            ]
            for entry in listedHandlers { handler(entry.kind, of: entry.area, as: entry.alias, listed: true) }
            for (area, alias) in [(village, "village1"), (town, "town1"), (county, "county1"), (city, "city")] {
                for department in hierarchy.departments(in: area.id) { handler(department.kind, of: area, as: alias) }
            }

            for new in hierarchy.areas {
                let area = new.area
                switch area.level {
                case .grid where gridWorkers[area.id] == nil:
                    add("gw.\(area.code)", .gridWorker, area)
                case .village, .town, .county:
                    if dispatchers[area.id] == nil { add("disp.\(area.code)", .dispatcher, area) }
                    if area.level == .town, windowClerks[area.id] == nil {
                        add("window.\(area.code)", .windowClerk, area)
                    }
                default:
                    break
                }
                for department in hierarchy.departments(in: area.id) where handlers[department.id] == nil {
                    add("dept.\(department.id)", .departmentHandler, area, department: department)
                }
            }

            // Last, so the users before keep the ids they had before towns had mediators.
            for town in hierarchy.towns where mediators[town.id] == nil {
                add("med.\(town.code)", .mediator, town)
            }

            self.users = users
            self.posts = posts
            self.credentials = credentials
            self.gridWorkers = gridWorkers
            self.dispatchers = dispatchers
            self.windowClerks = windowClerks
            self.handlers = handlers
            self.mediators = mediators
            self.hotline = hotline
            self.citizen = citizen
        }
    }
}
