import Logging
import Foundation
import OneGridDomain
import OneGridStore

/// Why an administrator's change to the directory (areas, grids, departments, categories) was
/// refused: the field it concerns and a reason the pages say in plain words.
public struct DirectoryRefusal: Error, Sendable, Equatable {
    public enum Reason: String, Sendable {
        // Areas
        case codeFormat, codeOutsideParent, codeTaken, nameLength, unknownParent, parentLevel, unknownArea
        case areaInUse, alreadyRetired
        // Departments
        case kindFormat, centreArea, unknownDepartment
        // Categories
        case unknownCategory, limitFormat, unknownDepartmentKind, handlingLevel, keywordLength, tooManyKeywords
        // A grid upload as a whole
        case fileMissing, fileTooLarge, fileNotJSON, notFeatureCollection, nothingAccepted, changedMeanwhile
    }

    public var field: String
    public var reason: Reason

    public init(field: String, reason: Reason) {
        self.field = field
        self.reason = reason
    }
}

extension OneGridServices {
    /// Runs one administrative change, recorded in the administrators' log in its transaction,
    /// then reloads this server's directory at once (the others follow when they see the version
    /// move). The store's own refusals, checked inside its transaction, come back as refusals of
    /// `field`.
    func changeDirectory<T: Sendable>(
        _ act: String, subject: String, _ details: [String: String] = [:], field: String, by principal: Principal,
        _ change: () async throws -> T
    ) async throws -> T {
        let value: T
        do {
            value = try await recording(act, subject: subject, details, by: principal, change)
        } catch let refused as DirectoryChangeRefused {
            switch refused {
            case .codesTaken: throw DirectoryRefusal(field: field, reason: .codeTaken)
            case .areaInUse: throw DirectoryRefusal(field: field, reason: .areaInUse)
            case .unknown: throw DirectoryRefusal(field: field, reason: .unknownArea)
            }
        }
        try await reloadDirectory()
        logger.notice("directory changed", metadata: ["user": "\(principal.user.username)", "change": "\(act) \(subject)"])
        return value
    }
}

extension String {
    /// Trimmed, and refused as `reason` of `field` unless 1…`limit` characters long.
    func checkedName(field: String, limit: Int = 40) throws -> String {
        let name = trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...limit).contains(name.count) else { throw DirectoryRefusal(field: field, reason: .nameLength) }
        return name
    }
}
