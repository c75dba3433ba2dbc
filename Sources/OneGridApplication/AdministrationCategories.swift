import Logging
import Foundation
public import OneGridDomain
public import OneGridStore

/// The administrator's work on categories: where their cases start and who handles them, their
/// time limits, the keywords the proposal learns from, and retraining the proposal.
public struct AdministrationCategories: Sendable {
    let services: OneGridServices

    /// What an administrator sets of a category, as typed: limits like `4h`, `8wh`, `5wd`, `30d`.
    public struct Form: Sendable {
        public var handlingLevel: String
        /// Nil or empty: the centre handles it itself.
        public var departmentKind: String?
        public var acceptanceLimit: String
        public var signingLimit: String
        public var handlingLimit: String
        public var escalatesWhenOverdue: Bool

        public init(
            handlingLevel: String, departmentKind: String?, acceptanceLimit: String, signingLimit: String, handlingLimit: String,
            escalatesWhenOverdue: Bool
        ) {
            self.handlingLevel = handlingLevel
            self.departmentKind = departmentKind
            self.acceptanceLimit = acceptanceLimit
            self.signingLimit = signingLimit
            self.handlingLimit = handlingLimit
            self.escalatesWhenOverdue = escalatesWhenOverdue
        }
    }

    /// Keywords kept per category: enough to name a category's common words, short enough to read.
    public static let keywordLimit = 100
    public static let keywordLength = 1...20
    /// The cases a retrain from the page learns from, as `onegrid classifier train` by default.
    public static let trainingCases = 100_000

    /// Adds a category: a root (no parent) or one under `parentID`, whose code it extends with a
    /// dot (`service` → `service.streetlight`). Its routing and limits are checked as an edit's.
    public func create(
        code: String, name: String, parentID: Int64?, platform: Platform, kind: CategoryKind, _ form: Form, by principal: Principal
    ) async throws -> OneGridDomain.Category {
        let code = code.trimmingCharacters(in: .whitespaces)
        guard code.count <= 60, code.wholeMatch(of: /[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*/) != nil else {
            throw DirectoryRefusal(field: "code", reason: .codeFormat)
        }
        if let parentID {
            guard let parent = services.directory.categories[parentID] else { throw DirectoryRefusal(field: "parent", reason: .unknownParent) }
            guard code.hasPrefix(parent.code + ".") else { throw DirectoryRefusal(field: "code", reason: .codeOutsideParent) }
        }
        var category = OneGridDomain.Category(
            id: 0, code: code, name: try name.checkedName(field: "name"), parentID: parentID, platform: platform, kind: kind,
            handlingLevel: .county, departmentKind: nil, acceptanceLimit: TimeLimit(1, .days), signingLimit: TimeLimit(1, .days),
            handlingLimit: TimeLimit(1, .days), escalatesWhenOverdue: false)
        try apply(form, to: &category)
        return try await services.changeDirectory("category.create", subject: "category \(code)", field: "code", by: principal) { [category] in
            try await services.directoryAdministration.createCategory(category)
        }
    }

    /// Writes a category's level, department and limits; cases filed from now on follow them.
    public func update(categoryID: Int64, _ form: Form, by principal: Principal) async throws {
        var category = try category(categoryID)
        try apply(form, to: &category)
        try await services.changeDirectory("category.edit", subject: "category \(category.code)", field: "category", by: principal) { [category] in
            try await services.directoryAdministration.updateCategory(category)
        }
    }

    /// Sets the form's level, department kind and limits on `category`, refusing what the form gets wrong.
    private func apply(_ form: Form, to category: inout OneGridDomain.Category) throws {
        guard let level = AdminLevel(rawValue: form.handlingLevel), level.runsCentre else {
            throw DirectoryRefusal(field: "handlingLevel", reason: .handlingLevel)
        }
        let kind = form.departmentKind?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        if let kind, !services.directory.departments.values.contains(where: { $0.kind == kind && $0.retiredAt == nil }) {
            throw DirectoryRefusal(field: "departmentKind", reason: .unknownDepartmentKind)
        }
        func limit(_ text: String, _ field: String) throws -> TimeLimit {
            guard let limit = try? TimeLimit(parsing: text.trimmingCharacters(in: .whitespaces), field: field) else {
                throw DirectoryRefusal(field: field, reason: .limitFormat)
            }
            return limit
        }
        category.handlingLevel = level
        category.departmentKind = kind
        category.acceptanceLimit = try limit(form.acceptanceLimit, "acceptanceLimit")
        category.signingLimit = try limit(form.signingLimit, "signingLimit")
        category.handlingLimit = try limit(form.handlingLimit, "handlingLimit")
        category.escalatesWhenOverdue = form.escalatesWhenOverdue
    }

    /// Replaces a category's keywords with those in `text`, one per line or separated by commas,
    /// 、 or spaces; repeats are dropped. They count once the proposal is retrained.
    public func setKeywords(categoryID: Int64, _ text: String, by principal: Principal) async throws -> [String] {
        var category = try category(categoryID)
        var keywords: [String] = []
        for word in text.split(whereSeparator: { ",，、;；\n\r\t ".contains($0) }).map(String.init) where !keywords.contains(word) {
            guard Self.keywordLength.contains(word.count) else { throw DirectoryRefusal(field: "keywords", reason: .keywordLength) }
            keywords.append(word)
        }
        guard keywords.count <= Self.keywordLimit else { throw DirectoryRefusal(field: "keywords", reason: .tooManyKeywords) }
        category.keywords = keywords
        try await services.changeDirectory("category.keywords", subject: "category \(category.code)", field: "category", by: principal) { [category] in
            try await services.directoryAdministration.updateCategory(category)
        }
        return keywords
    }

    /// Trains the proposal again on the newest closed cases and every category's keywords, as
    /// `onegrid classifier train` does, and uses it here at once (other servers within a minute).
    public func retrain(by principal: Principal) async throws -> CategoryModelStore.Training {
        let training = try await CategoryModelStore(database: services.database).train(newest: Self.trainingCases, now: services.clock.now)
        services.categoryModel.forget()
        services.logger.notice(
            "category model retrained", metadata: ["user": "\(principal.user.username)", "cases": "\(training.trainedOn)"])
        return training
    }

    private func category(_ categoryID: Int64) throws -> OneGridDomain.Category {
        guard let category = services.directory.categories[categoryID] else {
            throw DirectoryRefusal(field: "category", reason: .unknownCategory)
        }
        return category
    }
}
