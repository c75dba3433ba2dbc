import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The hierarchy as each post may see it, the category tree, departments, and routing a point.
struct DirectoryController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.areas, use: areas)
        api.on(.area, use: area)
        api.on(.categories, use: categories)
        api.on(.categoryProposals, use: categoryProposals)
        api.on(.departments, use: departments)
        api.on(.locate, use: locate)
    }

    struct AreaList: ResponseEncodable {
        var areas: [AreaJSON]
    }

    /// The children of `parent` (default: the post's own area), within the post's area.
    @Sendable func areas(_ request: Request, context: SignedInContext) async throws -> AreaList {
        let principal = context.principal
        let directory = services.directory
        let parentID = try request.uri.queryParameters.get("parent").map { text -> Int64 in
            guard let id = Int64(text) else {
                throw APIError(.badRequest, code: .invalid, "parent must be an area id", field: "parent")
            }
            return id
        }
        guard let parentID else {
            return AreaList(areas: directory.areas[principal.post.areaID].map { [AreaJSON($0)] } ?? [])
        }
        guard directory.areas[parentID] != nil, directory.covers(principal.post, areaID: parentID) else {
            throw APIError(.notFound, code: .notFound, "area \(parentID) not found", field: "parent")
        }
        return AreaList(areas: directory.children(of: parentID).map(AreaJSON.init))
    }

    struct AreaDetail: ResponseEncodable {
        var area: AreaJSON
        var lineage: [AreaJSON]
        /// A grid's boundary ring.
        var boundary: GridBoundary?
        var departments: [DepartmentJSON]
    }

    @Sendable func area(_ request: Request, context: SignedInContext) async throws -> AreaDetail {
        let principal = context.principal
        let id = try context.pathID("area")
        let directory = services.directory
        guard let area = directory.areas[id], directory.covers(principal.post, areaID: id) else {
            throw APIError(.notFound, code: .notFound, "area \(id) not found", field: "id")
        }
        return AreaDetail(
            area: AreaJSON(area), lineage: directory.lineage(of: id).map(AreaJSON.init), boundary: directory.boundaries[id],
            departments: directory.departments.values.filter { $0.areaID == id }.sorted { $0.id < $1.id }.map(DepartmentJSON.init))
    }


    struct CategoryList: ResponseEncodable {
        var categories: [CategoryJSON]
    }

    @Sendable func categories(_ request: Request, context: SignedInContext) async throws -> CategoryList {
        return CategoryList(categories: services.directory.categories.values.sorted { $0.code < $1.code }.map(CategoryJSON.init))
    }

    struct ProposalList: ResponseEncodable {
        struct Proposal: Codable {
            var category: CategoryJSON
            var confidence: Double
        }
        var proposals: [Proposal]
    }

    @Sendable func categoryProposals(_ request: Request, context: SignedInContext) async throws -> ProposalList {
        let query = request.uri.queryParameters
        guard let text = query.get("text") else {
            throw APIError(.badRequest, code: .invalid, "text is required: what the reporter said", field: "text")
        }
        let limit = try query.get("limit").map { text -> Int in
            guard let limit = Int(text) else { throw APIError(.badRequest, code: .invalid, "limit must be a number 1–20", field: "limit") }
            return limit
        }
        let proposals = try await services.proposals.propose(text, limit: limit ?? 3)
        return ProposalList(proposals: proposals.map { .init(category: CategoryJSON($0.category), confidence: $0.confidence) })
    }

    struct DepartmentList: ResponseEncodable {
        var departments: [DepartmentJSON]
    }

    /// Departments serving the post's area: those at its level or below, and those above it
    /// (where cases escalate to).
    @Sendable func departments(_ request: Request, context: SignedInContext) async throws -> DepartmentList {
        DepartmentList(departments: services.directory.departments(workingWith: context.principal.post).map(DepartmentJSON.init))
    }

    struct LocateJSON: ResponseEncodable {
        var grid: AreaJSON
        var lineage: [AreaJSON]
        var handlingLevel: AdminLevel?
        var handlingArea: AreaJSON?
        var suggestedDepartment: DepartmentJSON?
    }

    /// Where a case at this point (and of this category) would go: lets a reporter's app show the
    /// grid before sending.
    @Sendable func locate(_ request: Request, context: SignedInContext) async throws -> LocateJSON {
        let query = request.uri.queryParameters
        guard let lat = query.get("lat").flatMap(Double.init) else {
            throw APIError(.badRequest, code: .invalid, "lat is required, a number of degrees", field: "lat")
        }
        guard let lng = query.get("lng").flatMap(Double.init) else {
            throw APIError(.badRequest, code: .invalid, "lng is required, a number of degrees", field: "lng")
        }
        let directory = services.directory
        let areas = try directory.locate(point: GeoPoint(lat: lat, lng: lng), gridID: nil)
        var view = LocateJSON(
            grid: AreaJSON(directory.areas[areas.grid]!), lineage: directory.lineage(of: areas.grid).map(AreaJSON.init))
        if let code = query.get("category") {
            guard let category = directory.category(code: code) else {
                throw APIError(.notFound, code: .notFound, "category \(code) not found", field: "category")
            }
            let routing = CaseRouting.route(areas: areas, category: category, department: directory.department(kind:areaID:))
            view.handlingLevel = routing.handlingLevel
            view.handlingArea = directory.areas[routing.handlingAreaID].map(AreaJSON.init)
            view.suggestedDepartment = routing.suggestedDepartmentID.flatMap { directory.departments[$0] }.map(DepartmentJSON.init)
        }
        return view
    }
}
