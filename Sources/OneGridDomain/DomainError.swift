/// A refusal the domain explains to the person who asked: a stable code, a message in plain
/// words, and the input field it concerns when there is one. The web layer maps codes to HTTP.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Input is malformed or missing (400 / 422).
        case invalid
        /// The thing named does not exist, or lies outside the post's scope (404).
        case notFound
        /// The action is not allowed in the case's current state (409).
        case notAllowedInState
        /// The post may not take this action on this case (403).
        case forbidden
        /// Someone else changed the case first (409).
        case versionConflict
    }

    public var code: Code
    public var message: String
    public var field: String?
    /// For a version conflict: the case's version now, so the client can reload and retry.
    public var currentVersion: Int?

    public init(_ code: Code, _ message: String, field: String? = nil, currentVersion: Int? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.currentVersion = currentVersion
    }

    public static func invalid(field: String, _ message: String) -> DomainError {
        DomainError(.invalid, message, field: field)
    }

    public static func notFound(_ what: String, field: String? = nil) -> DomainError {
        DomainError(.notFound, "\(what) not found", field: field)
    }

    public var description: String { "\(code.rawValue): \(message)" + (field.map { " (\($0))" } ?? "") }
}
