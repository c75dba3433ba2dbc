import OneGridDomain

struct AreaJSON: Codable, Sendable, JSONWritable {
    var id: Int64
    var code: String
    var name: String
    var level: AdminLevel

    init(_ area: Area) {
        id = area.id
        code = area.code
        name = area.name
        level = area.level
    }

    func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.field("id", id)
            json.field("code", code)
            json.field("name", name)
            json.field("level", level)
        }
    }
}

struct DepartmentJSON: Codable, Sendable, JSONWritable {
    var id: Int64
    var name: String
    var kind: String
    var level: AdminLevel
    var areaID: Int64

    init(_ department: Department) {
        id = department.id
        name = department.name
        kind = department.kind
        level = department.level
        areaID = department.areaID
    }

    func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.field("id", id)
            json.field("name", name)
            json.field("kind", kind)
            json.field("level", level)
            json.field("areaID", areaID)
        }
    }
}

struct CategoryJSON: Codable, Sendable {
    var id: Int64
    var code: String
    var name: String
    var parentID: Int64?
    var platform: Platform
    var kind: CategoryKind
    var handlingLevel: AdminLevel
    var departmentKind: String?
    var acceptanceLimit: TimeLimit
    var signingLimit: TimeLimit
    var handlingLimit: TimeLimit
    var escalatesWhenOverdue: Bool

    init(_ category: OneGridDomain.Category) {
        id = category.id
        code = category.code
        name = category.name
        parentID = category.parentID
        platform = category.platform
        kind = category.kind
        handlingLevel = category.handlingLevel
        departmentKind = category.departmentKind
        acceptanceLimit = category.acceptanceLimit
        signingLimit = category.signingLimit
        handlingLimit = category.handlingLimit
        escalatesWhenOverdue = category.escalatesWhenOverdue
    }
}
