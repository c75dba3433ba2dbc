import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore
import Testing

/// The administrator's changes to the directory through the use cases, over a real store, on
/// each database: each refusal names its field and writes nothing, each change bumps the version
/// that every other server polls.
@Suite struct AdministrationDirectoryTests {
    @Test(arguments: TestDatabases.kinds)
    func anAreaIsCreatedRenamedAndRetiredBottomUpAndABadOneIsRefusedWritingNothing(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let areas = city.services.administrationAreas
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let version = try await city.services.directoryAdministration.version()
            func refusal(_ body: () async throws -> Void) async -> DirectoryRefusal? {
                do { try await body(); return nil } catch { return error as? DirectoryRefusal }
            }
            let prefix = String(town.code.prefix(9))
            #expect(await refusal { _ = try await areas.create(code: "12345", name: "新村", parentID: town.id, by: admin) }
                == .init(field: "code", reason: .codeFormat))
            #expect(await refusal { _ = try await areas.create(code: "990000000999", name: "新村", parentID: town.id, by: admin) }
                == .init(field: "code", reason: .codeOutsideParent))
            let taken = try #require(city.directory.children(of: town.id).first)
            #expect(await refusal { _ = try await areas.create(code: taken.code, name: "新村", parentID: town.id, by: admin) }
                == .init(field: "code", reason: .codeTaken))
            #expect(await refusal { _ = try await areas.create(code: prefix + "777", name: " ", parentID: town.id, by: admin) }
                == .init(field: "name", reason: .nameLength))
            #expect(try await city.services.directoryAdministration.version() == version, "a refused change bumps nothing")

            let village = try await areas.create(code: prefix + "777", name: "新村", parentID: town.id, by: admin)
            #expect(village.level == .village && village.parentID == town.id)
            #expect(city.services.directory.area(code: prefix + "777")?.name == "新村")
            try await areas.rename(areaID: village.id, to: "新兴村", by: admin)
            #expect(city.services.directory.areas[village.id]?.name == "新兴村")

            // A village with grids in use is not retired; its grids go first.
            let used = try #require(city.grids.first)
            let usedVillage = try #require(used.parentID)
            #expect(await refusal { try await areas.retire(areaID: usedVillage, by: admin) } == .init(field: "area", reason: .areaInUse))
            try await areas.retire(areaID: village.id, by: admin)
            #expect(city.services.directory.areas[village.id]?.retiredAt != nil)
            #expect(await refusal { try await areas.rename(areaID: village.id, to: "旧村", by: admin) } == .init(field: "area", reason: .alreadyRetired))
            #expect(try await city.services.directoryAdministration.version() == version + 3)

            // A retired grid keeps its name for old cases, but no new report lands there.
            let point = city.point(inGrid: 1)
            #expect(try city.services.directory.locate(point: point, gridID: nil).grid == used.id)
            try await areas.retire(areaID: used.id, by: admin)
            #expect(city.services.directory.areas[used.id]?.name == used.name)
            #expect(throws: DomainError.self) { try city.services.directory.locate(point: point, gridID: nil) }
            #expect(throws: DomainError.self) { try city.services.directory.locate(point: nil, gridID: used.id) }
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aGridUploadWritesWhatPassesInOneGoAndSaysWhyEachOtherFeatureWasRefused(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let areas = city.services.administrationAreas
            let village = try #require(city.directory.areas.values.filter { $0.level == .village }.min { $0.code < $1.code })
            let north = city.directory.boundaries.values.map(\.maxLat).max()! + 0.05
            let east = city.directory.boundaries.values.map(\.maxLng).max()! + 0.05
            let file = GridFile(
                [
                    .init(villageCode: village.code, code: village.code + "901", name: "新一网格", square: (north, east)),
                    .init(villageCode: "379999999999", code: village.code + "902", name: "无村网格", square: (north, east + 0.01)),
                    .init(villageCode: village.code, code: village.code + "903", name: "未闭合", square: (north, east + 0.02), closed: false),
                    .init(villageCode: village.code, code: village.code + "904", name: "重复甲", square: (north, east + 0.03)),
                    .init(villageCode: village.code, code: village.code + "904", name: "重复乙", square: (north, east + 0.04)),
                    .init(villageCode: village.code, code: village.code + "905", name: "越界", square: (95, east)),
                    .init(villageCode: village.code, code: try #require(city.grids.first).code, name: "已有", square: (north, east + 0.05)),
                    .init(villageCode: village.code, code: "3799", name: "短码", square: (north, east + 0.06)),
                ])
            let report = try await areas.uploadGrids(file.bytes, by: admin)
            #expect(report.accepted.map(\.code) == [village.code + "901"])
            #expect(report.accepted.first?.villageName == village.name)
            #expect(report.refused.map { "\($0.feature) \($0.reason)" } == [
                "2 unknownVillage", "3 ringNotClosed", "4 duplicateInFile", "5 duplicateInFile", "6 coordinateRange", "7 codeTaken", "8 codeFormat",
            ])
            // The new grid routes reports at once, here and (after polling) on every other server.
            let grid = try #require(city.services.directory.area(code: village.code + "901"))
            let inside = GeoPoint(lat: north + 0.0025, lng: east + 0.0025)
            #expect(try city.services.directory.locate(point: inside, gridID: nil).grid == grid.id)
            let other = try await OneGridServices(database: city.database)
            #expect(try other.directory.locate(point: inside, gridID: nil).grid == grid.id)

            // A file refused whole writes nothing.
            let version = try await city.services.directoryAdministration.version()
            for (bytes, reason) in [
                (Array("{\"type\": \"FeatureCollection\", \"features\": [".utf8), DirectoryRefusal.Reason.fileNotJSON),
                (Array("{\"type\": \"Feature\"}".utf8), .notFeatureCollection), ([], .fileMissing),
            ] {
                await #expect(throws: DirectoryRefusal(field: "file", reason: reason)) { try await areas.uploadGrids(bytes, by: admin) }
            }
            // Nothing passing: the report says why, and nothing is written.
            let refusedOnly = try await areas.uploadGrids(file.bytes, by: admin)
            #expect(refusedOnly.accepted.isEmpty && refusedOnly.refused.count == 8)
            #expect(try await city.services.directoryAdministration.version() == version)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aChangeThroughOneServerReachesAnotherWhenItPollsTheVersion(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let other = try await OneGridServices(database: city.database)
            #expect(try await other.reloadDirectoryIfChanged() == false)
            let category = try city.category("service.streetlight")
            try await city.services.administrationCategories.update(
                categoryID: category.id,
                .init(
                    handlingLevel: "town", departmentKind: nil, acceptanceLimit: "2h", signingLimit: "1wd", handlingLimit: "3wd",
                    escalatesWhenOverdue: true), by: admin)
            #expect(other.directory.categories[category.id]?.handlingLimit == category.handlingLimit, "not yet polled")
            #expect(try await other.reloadDirectoryIfChanged() == true)
            let seen = try #require(other.directory.categories[category.id])
            #expect(seen.handlingLevel == .town && seen.departmentKind == nil && seen.escalatesWhenOverdue)
            #expect([seen.acceptanceLimit, seen.signingLimit, seen.handlingLimit] == [TimeLimit(2, .hours), TimeLimit(1, .workingDays), TimeLimit(3, .workingDays)])
            #expect(try await other.reloadDirectoryIfChanged() == false)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aCategorysLimitsAndKeywordsAreCheckedAndARetrainProposesFromTheKeywords(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let categories = city.services.administrationCategories
            let category = try city.category("service.streetlight")
            func form(level: String = "village", kind: String? = nil, handling: String = "5wd") -> AdministrationCategories.Form {
                .init(handlingLevel: level, departmentKind: kind, acceptanceLimit: "4h", signingLimit: "1wd", handlingLimit: handling, escalatesWhenOverdue: false)
            }
            await #expect(throws: DirectoryRefusal(field: "handlingLimit", reason: .limitFormat)) {
                try await categories.update(categoryID: category.id, form(handling: "five days"), by: admin)
            }
            await #expect(throws: DirectoryRefusal(field: "handlingLevel", reason: .handlingLevel)) {
                try await categories.update(categoryID: category.id, form(level: "grid"), by: admin)
            }
            await #expect(throws: DirectoryRefusal(field: "departmentKind", reason: .unknownDepartmentKind)) {
                try await categories.update(categoryID: category.id, form(kind: "astronomy"), by: admin)
            }
            await #expect(throws: DirectoryRefusal(field: "keywords", reason: .keywordLength)) {
                _ = try await categories.setKeywords(categoryID: category.id, "路灯、" + String(repeating: "灯", count: 21), by: admin)
            }
            #expect(city.services.directory.categories[category.id] == category, "refusals write nothing")

            let keywords = try await categories.setKeywords(categoryID: category.id, "黑灯瞎火，路灯 路灯\n啥也看不见", by: admin)
            #expect(keywords == ["黑灯瞎火", "路灯", "啥也看不见"])
            #expect(try await SQLHierarchyStore(database: city.database).loadDirectory().categories[category.id]?.keywords == keywords)
            let training = try await categories.retrain(by: admin)
            #expect(training.trainedOn == 0, "the tiny city has no closed case: the keywords alone teach it")
            let proposals = try await city.services.proposals.propose("天一黑巷子里啥也看不见")
            #expect(proposals.first?.category.id == category.id)
        }
    }

    @Test(arguments: TestDatabases.kinds)
    func aRetiredDepartmentIsNoLongerFoundForDispatchButKeepsItsName(kind: OneGridDatabase.Kind) async throws {
        try await TinyCity.with(kind) { city in
            let admin = try await city.principal("admin")
            let departments = city.services.administrationDepartments
            let town = try #require(city.directory.areas.values.first { $0.level == .town })
            let grid = try #require(city.grids.first)
            await #expect(throws: DirectoryRefusal(field: "area", reason: .centreArea)) {
                _ = try await departments.create(.init(name: "网格站", kind: "services", areaID: grid.id), by: admin)
            }
            await #expect(throws: DirectoryRefusal(field: "kind", reason: .kindFormat)) {
                _ = try await departments.create(.init(name: "水务站", kind: "水务", areaID: town.id), by: admin)
            }
            let created = try await departments.create(.init(name: "水务站", kind: "water", areaID: town.id), by: admin)
            #expect(created.level == .town)
            #expect(city.services.directory.department(kind: "water", areaID: town.id)?.id == created.id)
            let county = try #require(town.parentID)
            try await departments.update(departmentID: created.id, .init(name: "县水务站", kind: "water", areaID: county), by: admin)
            #expect(city.services.directory.departments[created.id]?.level == .county, "its level follows its area")
            try await departments.update(departmentID: created.id, .init(name: "镇水务站", kind: "water", areaID: town.id), by: admin)
            try await departments.retire(departmentID: created.id, by: admin)
            #expect(city.services.directory.departments[created.id]?.name == "镇水务站")
            #expect(city.services.directory.department(kind: "water", areaID: town.id) == nil)
            await #expect(throws: DirectoryRefusal(field: "department", reason: .alreadyRetired)) {
                try await departments.retire(departmentID: created.id, by: admin)
            }
        }
    }
}

/// A GeoJSON FeatureCollection of square grids, written as an administrator's GIS tool would.
struct GridFile {
    struct Grid {
        var villageCode: String
        var code: String
        var name: String
        /// The south-west corner of a square 0.005° wide.
        var square: (lat: Double, lng: Double)
        var closed = true
    }

    var grids: [Grid]

    init(_ grids: [Grid]) {
        self.grids = grids
    }

    var bytes: [UInt8] {
        let features = grids.map { grid -> [String: Any] in
            let (lat, lng) = grid.square
            var ring = [[lng, lat], [lng + 0.005, lat], [lng + 0.005, lat + 0.005], [lng, lat + 0.005]]
            if grid.closed { ring.append([lng, lat]) }
            return [
                "type": "Feature", "properties": ["villageCode": grid.villageCode, "code": grid.code, "name": grid.name],
                "geometry": ["type": "Polygon", "coordinates": [ring]],
            ]
        }
        return Array(try! JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features]))
    }
}
