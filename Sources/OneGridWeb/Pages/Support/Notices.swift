import Foundation
import OneGridApplication
import OneGridStore
import Synchronization

/// What a form's redirect carries to the page it lands on (post, redirect, get): the outcome of
/// a step or of a bulk action. Kept in the process for a few minutes under a random key that
/// only the same session may read; a page shown by another instance simply shows no notice.
final class Notices: Sendable {
    /// A step's outcome on the case page.
    struct Step: Sendable {
        enum Kind: String, Sendable { case done, refused, conflict, revealed }
        var kind: Kind
        var action: String
        var message: String = ""
        /// Who changed the case before this post's form arrived, and when (conflicts).
        var by: String = ""
        var at: String = ""
        /// A revealed personal field and its value (shown once, the reveal is recorded).
        var field: String = ""
        var value: String = ""
    }

    /// One row of a bulk action's outcome.
    struct Row: Sendable {
        var caseID: Int64
        var number: String
        var done: Bool
        var message: String
    }

    enum Notice: Sendable {
        case step(Step)
        case bulk(action: String, rows: [Row])
        /// An administrator's change, and a password to show once.
        case account(message: String, password: String?)
        /// An administrator's change on the administration pages, and the report of a grid upload.
        case change(message: String, upload: AdministrationAreas.GridUploadReport?)
    }

    private struct Entry {
        var session: String
        var notice: Notice
        var at: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let lifetime: TimeInterval = 300

    func put(_ notice: Notice, session: String) -> String {
        let key = String(TokenAuthenticator.newToken().prefix(24))
        let now = Date()
        entries.withLock { entries in
            entries = entries.filter { now.timeIntervalSince($0.value.at) < lifetime }
            entries[key] = Entry(session: TokenAuthenticator.hash(session), notice: notice, at: now)
        }
        return key
    }

    /// The notice once: a reload of the page shows it no more.
    func take(_ key: String?, session: String) -> Notice? {
        guard let key else { return nil }
        return entries.withLock { entries in
            guard let entry = entries[key], entry.session == TokenAuthenticator.hash(session) else { return nil }
            entries[key] = nil
            return entry.notice
        }
    }
}
