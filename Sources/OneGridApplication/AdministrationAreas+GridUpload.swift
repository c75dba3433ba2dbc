import Foundation
import OneGridDomain
public import OneGridStore

/// Adding grids from a GeoJSON FeatureCollection: one Feature per grid, its properties naming
/// the village (`villageCode`, the village's 12-digit division code), the grid's own 15-digit
/// `code` and its `name` (and optionally `households`), its geometry a Polygon (or a MultiPolygon
/// of one polygon) in WGS-84 longitude, latitude. Every feature is checked; those that pass are
/// written together in one transaction, and the report says of each refused one why.
extension AdministrationAreas {
    /// The largest file read: a county's few hundred grids with detailed boundaries weigh a few MB.
    public static let uploadLimit = 20 << 20

    public struct GridUploadReport: Sendable {
        public struct Accepted: Sendable, Equatable {
            public var code: String
            public var name: String
            public var villageName: String
        }

        public struct Refused: Sendable, Equatable {
            public enum Reason: String, Sendable {
                case notFeature, codeFormat, codeOutsideVillage, codeTaken, duplicateInFile, nameLength
                case unknownVillage, geometryType, multiPart, holes, ringTooShort, ringNotClosed, coordinateFormat
                case coordinateRange, householdsFormat
            }

            /// The feature's place in the file, from 1.
            public var feature: Int
            /// The grid code it carried, when it carried one.
            public var code: String
            public var reason: Reason
        }

        public var accepted: [Accepted]
        public var refused: [Refused]
    }

    /// Checks the file, writes the grids that pass (all or none of them) and reports on each
    /// feature. A file that is not a FeatureCollection, or one with nothing to add, is refused whole.
    /// Not `partial` (the command line's default), any refused feature keeps every grid out.
    public func uploadGrids(_ bytes: [UInt8], partial: Bool = true, by principal: Principal) async throws -> GridUploadReport {
        guard !bytes.isEmpty else { throw DirectoryRefusal(field: "file", reason: .fileMissing) }
        guard bytes.count <= Self.uploadLimit else { throw DirectoryRefusal(field: "file", reason: .fileTooLarge) }
        guard let json = try? JSONSerialization.jsonObject(with: Data(bytes)) else {
            throw DirectoryRefusal(field: "file", reason: .fileNotJSON)
        }
        guard let collection = json as? [String: Any], collection["type"] as? String == "FeatureCollection",
            let features = collection["features"] as? [Any]
        else { throw DirectoryRefusal(field: "file", reason: .notFeatureCollection) }

        let directory = services.directory
        var checked: [(feature: Int, result: Result<NewGrid, GridUploadReport.Refused>)] = []
        for (index, feature) in features.enumerated() {
            checked.append((index + 1, Result { () throws(GridUploadReport.Refused) in try Self.grid(feature, number: index + 1, directory: directory) }))
        }
        // A code twice in one file: which is right cannot be told, so neither goes in.
        let codes = checked.compactMap { try? $0.result.get().code }
        let repeated = Set(Dictionary(grouping: codes, by: { $0 }).filter { $0.value.count > 1 }.keys)
        var grids: [NewGrid] = []
        var refused: [GridUploadReport.Refused] = []
        for (feature, result) in checked {
            switch result {
            case .success(let grid) where repeated.contains(grid.code):
                refused.append(.init(feature: feature, code: grid.code, reason: .duplicateInFile))
            case .success(let grid): grids.append(grid)
            case .failure(let refusal): refused.append(refusal)
            }
        }
        guard !grids.isEmpty, refused.isEmpty || partial else {
            guard !refused.isEmpty else { throw DirectoryRefusal(field: "file", reason: .nothingAccepted) }
            return GridUploadReport(accepted: [], refused: refused)
        }
        do {
            _ = try await services.changeDirectory(
                "grids.upload", subject: "grids \(grids.map(\.code).joined(separator: ","))", field: "file", by: principal
            ) {
                try await services.directoryAdministration.insertGrids(grids)
            }
        } catch let refusal as DirectoryRefusal where refusal.reason == .codeTaken {
            // Another administrator added one of these codes since the check: nothing was written.
            throw DirectoryRefusal(field: "file", reason: .changedMeanwhile)
        }
        return GridUploadReport(
            accepted: grids.map { .init(code: $0.code, name: $0.name, villageName: directory.areas[$0.villageID]?.name ?? "") },
            refused: refused)
    }

    /// One feature as a grid, or the first thing wrong with it.
    private static func grid(_ feature: Any, number: Int, directory: Directory) throws(GridUploadReport.Refused) -> NewGrid {
        func refuse(_ reason: GridUploadReport.Refused.Reason, _ code: String = "") -> GridUploadReport.Refused {
            GridUploadReport.Refused(feature: number, code: code, reason: reason)
        }
        guard let feature = feature as? [String: Any], feature["type"] as? String == "Feature",
            let properties = feature["properties"] as? [String: Any]
        else { throw refuse(.notFeature) }
        let code = text(properties["code"])
        guard DivisionCode.level(of: code) == .grid else { throw refuse(.codeFormat, code) }
        guard let village = directory.area(code: text(properties["villageCode"])), village.level == .village, village.retiredAt == nil
        else { throw refuse(.unknownVillage, code) }
        guard code.hasPrefix(village.code) else { throw refuse(.codeOutsideVillage, code) }
        guard directory.area(code: code) == nil else { throw refuse(.codeTaken, code) }
        let name = text(properties["name"])
        guard (1...40).contains(name.count) else { throw refuse(.nameLength, code) }
        var households: Int?
        if let value = properties["households"], !(value is NSNull) {
            guard let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded(), (0...100_000).contains(number.intValue)
            else { throw refuse(.householdsFormat, code) }
            households = number.intValue
        }
        do {
            return NewGrid(code: code, name: name, villageID: village.id, boundary: try boundary(feature["geometry"]), households: households)
        } catch {
            throw refuse(error, code)
        }
    }

    private typealias Reason = GridUploadReport.Refused.Reason

    /// The one outer ring of a Polygon, or of a MultiPolygon holding one polygon. A grid is one
    /// piece without holes: the locator and the maps read one ring.
    private static func boundary(_ geometry: Any?) throws(GridUploadReport.Refused.Reason) -> GridBoundary {
        guard let geometry = geometry as? [String: Any], let coordinates = geometry["coordinates"] as? [Any] else {
            throw Reason.geometryType
        }
        let polygon: [Any]
        switch geometry["type"] as? String {
        case "Polygon": polygon = coordinates
        case "MultiPolygon":
            guard coordinates.count == 1, let only = coordinates[0] as? [Any] else { throw Reason.multiPart }
            polygon = only
        default: throw Reason.geometryType
        }
        guard polygon.count <= 1 else { throw Reason.holes }
        guard let ring = polygon.first as? [Any] else { throw Reason.ringTooShort }
        var points: [GeoPoint] = []
        for position in ring {
            guard let pair = position as? [Any], (2...3).contains(pair.count),
                let lng = (pair[0] as? NSNumber)?.doubleValue, let lat = (pair[1] as? NSNumber)?.doubleValue
            else { throw Reason.coordinateFormat }
            guard (try? GeoPoint(lat: lat, lng: lng).validated()) != nil else { throw Reason.coordinateRange }
            points.append(GeoPoint(lat: lat, lng: lng))
        }
        // GeoJSON's rule (RFC 7946 §3.1.6): four positions at least, the last the first again.
        guard points.count >= 4 else { throw Reason.ringTooShort }
        guard points.first == points.last else { throw Reason.ringNotClosed }
        // Stored open, as every other grid's boundary: the last point joins the first by itself.
        return GridBoundary(ring: Array(points.dropLast()))
    }

    private static func text(_ value: Any?) -> String {
        switch value {
        case let string as String: string.trimmingCharacters(in: .whitespaces)
        default: ""
        }
    }
}

extension AdministrationAreas.GridUploadReport.Refused: Error {}
extension AdministrationAreas.GridUploadReport.Refused.Reason: Error {}
