import OneGridDomain
import OneGridStore

/// The sign-in form: the name kept after a wrong password, the reason it failed, where to go
/// after, and — only when the server runs the demo city — a few demo users to try.
struct SignInPage {
    struct DemoUser {
        var username: String
        var post: String
    }

    var action = SiteURL.signIn.path
    var username: String
    var next: String
    var error: String?
    var demoUsers: [DemoUser]
    var demoPassword: String?
}

/// Which post to act as, for a user who holds several.
struct PostsPage {
    struct Choice {
        var id: Int64
        var role: String
        var place: String
        var current: Bool
    }

    var action = SiteURL.posts.path
    var next: String
    var choices: [Choice]
}
