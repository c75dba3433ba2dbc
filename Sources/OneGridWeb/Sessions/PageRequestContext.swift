import Foundation
import Hummingbird
import OneGridStore

/// The context of every page request: the language chosen, the form token of this browser, and
/// the signed-in post when the session cookie names one (set by `PageSessionMiddleware`).
struct PageRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    var language: Language = .zhCN
    /// The value every form of this browser must send back (`CSRFMiddleware`).
    var formToken: String = ""
    var session: PageSession?
    /// Whether the browser reached us over TLS, so cookies are marked Secure.
    var secure: Bool = false
    var remoteAddress: String?

    init(context: OneGridRequestContext) {
        coreContext = context.coreContext
        remoteAddress = context.remoteAddress
    }

    /// Forms are small: a note, a few ids.
    var maxUploadSize: Int { 64 << 10 }
}

/// The signed-in session behind the cookie.
struct PageSession: Sendable {
    var token: String
    var principal: Principal
}

/// The context of a page that needs a signed-in post: made only when the session cookie names
/// one, else the browser is sent to sign in before any handler or policy runs.
struct SignedInPageContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    var page: PageRequestContext
    let session: PageSession

    init(context: PageRequestContext) throws {
        guard let session = context.session else { throw PageError.signInRequired }
        self.coreContext = context.coreContext
        self.page = context
        self.session = session
    }

    var principal: Principal { session.principal }
    var maxUploadSize: Int { 64 << 10 }
}
