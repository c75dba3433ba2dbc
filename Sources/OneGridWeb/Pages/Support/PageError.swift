import Hummingbird

/// What stops a page before or instead of its content; `PageErrorMiddleware` answers each.
enum PageError: Error {
    /// No session, or it ended: the browser is sent to sign in and brought back after.
    case signInRequired
    /// The post's role does not serve this page.
    case forbidden
    /// A form without this browser's form token, or sent from another site.
    case formRefused
    /// A page address that names nothing this post may see.
    case notFound
}
