import HTTPTypes
import Mustache
@testable import OneGridWeb
import Testing

/// What a person types never becomes markup: the pages' escaping gives exactly what Mustache's
/// own HTML escaping gives, and a case's text shows on the queue and the case page as text.
@Suite struct HTMLEscapingTests {
    static let texts = [
        "", "路灯不亮", "plain words", "<script>alert('x')</script>", "A & B", #"say "hi""#, "it's", "&amp; already",
        "混合<b>粗</b>&\"'文字", "e\u{301}<", "👩‍👩‍👧<>", "\n\t<\r\n>", String(repeating: "长", count: 500) + "&",
    ]

    @Test func escapesAsMustachesOwnHTMLEscaping() throws {
        let theirs = try MustacheTemplate(string: "{{.}}")
        let ours = try MustacheTemplate(string: HTMLEscaping.template("{{.}}"))
        for text in Self.texts {
            #expect(HTMLEscaping().escapeText(text) == theirs.render(text), "\(text)")
            #expect(ours.render(text) == theirs.render(text), "\(text)")
        }
    }

    @Test func aCasesTextShowsAsTextOnTheQueueAndTheCasePage() async throws {
        try await TestApp.pages { browser, api, city in
            let worker = try await api.signIn("gridworker1")
            let title = #"<img src=x onerror="alert('x')"> & 路灯"#
            let id = try #require(try await api.report(token: worker, at: city.gridPoints[0].point, title: title).id)
            try await browser.signIn("village1")
            for path in ["/queue", "/cases/\(id)"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok)
                #expect(page.html.contains("&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; 路灯"), "\(path)")
                #expect(!page.html.contains("<img src=x"), "\(path)")
            }
        }
    }
}
