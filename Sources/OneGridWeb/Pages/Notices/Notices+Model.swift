import Foundation

/// The notices page: what reached the post, newest first, unread ones marked, and for a centre
/// what it sent with how far each has got.
struct NoticeListPage {
    struct Received {
        var href: String
        var title: String
        var from: String
        var published: String
        var unread: Bool
        /// Where the post stands with the answer asked for, drawn as a clock.
        var state: ClockBadge?
    }

    struct Sent {
        var href: String
        var title: String
        var audience: String
        var published: String
        var asked: String
        var read: Progress
        var answered: Progress?
        /// Late answers; nil when none, so nothing red is drawn.
        var late: Int?
    }

    /// "12 / 40" with the share as a bar.
    struct Progress {
        var done: Int
        var of: Int
        var percent: Int

        init(_ done: Int, of total: Int) {
            self.done = done
            self.of = total
            percent = total == 0 ? 0 : done * 100 / total
        }
    }

    var received: [Received]
    var unread: Int
    var sent: [Sent]
    var publishes: Bool
    var newURL = SiteURL.noticeNew.path
}

/// One notice: its text, the receiving post's answer form, and for its centre every receipt.
struct NoticePage {
    struct Receipt {
        var area: String
        var name: String
        var role: String
        var read: String
        var answered: String
        var reply: String
        var state: ClockBadge?
    }

    var title: String
    var body: String
    var from: String
    var published: String
    var audience: String
    var asked: String?
    var due: String?
    /// The post's own answer, or the form to give it.
    var state: ClockBadge?
    var ownReply: String?
    var answerURL: String?
    var asksReply: Bool
    var reply: String
    var replyError: String?
    var tally: NoticeListPage.Sent?
    /// The tally per area directly below the sender (and the sender's own area): which village lags.
    var areas: [NoticeListPage.Sent]
    var receipts: [Receipt]
    var listURL = SiteURL.notices.path
}

/// The form a centre publishes a notice with.
struct NoticeFormPage {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    var action = SiteURL.noticeNew.path
    var from: String
    var title: String
    var body: String
    var areas: [Option]
    var responses: [Option]
    var due: String
    var errors: [String: String]
    var hasErrors: Bool
}
