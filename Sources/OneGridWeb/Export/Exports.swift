public import OneGridApplication
public import OneGridDomain
import Hummingbird
import HummingbirdCore
import NIOCore

/// The API's downloads for `onegrid export`: the same filters read by the same parsers, the same
/// use cases and the same writers, so a file made on the command line is the one the API sends.
public struct Exports: Sendable {
    /// The figures there are to export, as `/api/v1/figures/<name>` names them.
    public enum Figures: String, CaseIterable, Sendable {
        case overview, deadlines
    }

    let services: OneGridServices
    let translation: Translation

    /// `language` heads a CSV's columns: zh-CN or en.
    public init(services: OneGridServices, language: String) throws {
        guard let language = Language(code: language) else {
            throw APIError(.badRequest, code: .invalid, "language '\(language)' is unknown; expected: zh-CN, en", field: "language")
        }
        self.services = services
        self.translation = try PageResources.bundled.get().translation(language)
    }

    /// Every case `post` sees that `filters` match (the case list's query, `status=accepted&area=…`),
    /// handed to `sink` a page at a time as read.
    public func cases(filters: String, format: ExportFormat, for post: Post, to sink: ([UInt8]) async throws -> Void) async throws {
        let query = try CaseController(services: services).caseQuery(Self.parameters(filters))
        try await CaseExport(services: services, format: format, translation: translation)
            .write(query, for: post) { try await sink(Array($0.readableBytesView)) }
    }

    /// The figures `which` for `post` that `filters` ask (the endpoint's query, `area=…&from=2026-01`).
    public func figures(_ which: Figures, filters: String, format: ExportFormat, for post: Post) async throws -> [UInt8] {
        let parameters = Self.parameters(filters)
        let controller = FiguresController(services: services)
        switch which {
        case .overview:
            return try FigureTable(overview: try await controller.overview(parameters, for: post), translation: translation)
                .bytes(format, translation: translation)
        case .deadlines:
            let figures = try await controller.deadlines(parameters, for: post)
            return try FigureTable(deadlines: figures, directory: services.directory, translation: translation)
                .bytes(format, translation: translation)
        }
    }

    private static func parameters(_ query: String) -> Parameters {
        URI("/?" + query).queryParameters
    }
}

extension APIError: CustomStringConvertible {
    /// "area: area 'x' is unknown", as a command prints a refusal.
    public var description: String { field.map { "\($0): \(message)" } ?? message }
}
