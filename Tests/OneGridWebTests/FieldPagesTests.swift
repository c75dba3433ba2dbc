import Foundation
import HTTPTypes

import HummingbirdTesting
import Testing

@testable import OneGridWeb

/// The grid worker's phone pages (`/field`) and the phone-side scripts they share with the
/// citizen's pages.
@Suite struct FieldPagesTests {
    @Test func thePhoneScriptsAreServedFromTheirFolderAsScripts() async throws {
        try await TestApp.pages { browser, _, _ in
            for name in ["photo.js", "place.js"] {
                let asset = try await browser.get("/assets/field/\(name)")
                #expect(asset.status == .ok, "\(name)")
                #expect(asset.headers[.contentType]?.hasPrefix("text/javascript") == true, "\(name)")
                #expect(asset.headers[.cacheControl]?.contains("immutable") == true, "\(name)")
            }
            #expect(try await browser.get("/assets/field/none.js").status == .notFound)
            #expect(try await browser.get("/assets/onegrid.css").status == .ok, "the top folder's assets stay where they were")
        }
    }
}
