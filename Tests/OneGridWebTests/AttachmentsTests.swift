import Foundation
import HTTPTypes
import OneGridApplication
import OneGridDomain
@testable import OneGridWeb
import Testing

/// Photos and documents sent with a step: recognised by their content, limited in size, named
/// by checksum in the timeline, and served only to posts that may see the case.
@Suite struct AttachmentsTests {
    /// A 1×1 PNG.
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]

    /// A case in progress with the village's handler, and that handler signed in in a browser.
    static func caseInProgress(_ browser: Browser, _ api: API, _ city: TestApp.City) async throws -> (id: Int64, version: Int) {
        let worker = try await api.signIn("gridworker1")
        let reported = try await api.report(token: worker, at: city.gridPoints[0].point)
        let id = try #require(reported.id)
        let department = try #require(((reported["suggestedDepartment"] as? [String: Any])?["id"] as? NSNumber)?.int64Value)
        let village = try await api.signIn("village1")
        _ = try await api.act("accept", on: id, token: village)
        _ = try await api.act("dispatch", on: id, token: village, ["departmentID": department])
        let handler = try await api.signIn("handler.village1")
        let started = try await api.act("start", on: id, token: handler)
        #expect(started.status_ == "inProgress", "\(started.json)")
        try await browser.signIn("handler.village1")
        return (id, try #require(started.version))
    }

    static func feedBack(_ browser: Browser, _ id: Int64, version: Int, files: [(field: String, name: String, bytes: [UInt8])]) async throws
        -> Browser.Page
    {
        let page = try await browser.get("/cases/\(id)")
        let sent = try await browser.post(
            "/cases/\(id)/actions", [("action", "feedBack"), ("version", "\(version)"), ("note", "已更换灯泡")], files: files,
            token: page.formToken)
        #expect(sent.status == .seeOther)
        return try await browser.get(try #require(sent.location))
    }

    @Test func aPhotoIsKeptByChecksumShownAsAThumbnailAndServedOnlyToWhoSeesTheCase() async throws {
        try await TestApp.pages { browser, api, city in
            let (id, version) = try await Self.caseInProgress(browser, api, city)
            let page = try await Self.feedBack(browser, id, version: version, files: [("files", "after.png", Self.png)])
            let sha = "4ff6ab670a58c14270e034e2090d9a432caa263a14e0a25785386b0c12f880b5"
            let href = "/cases/\(id)/attachments/\(sha)"
            #expect(page.html.contains(#"<img src="\#(href)""#), "the photo is a thumbnail in the timeline")

            let timeline = try await api.send(.get, "/api/v1/cases/\(id)/timeline", token: try await api.signIn("village1"))
            let evidence = ((timeline["events"] as? [[String: Any]])?.last?["details"] as? [String: Any])?["evidence"] as? String
            #expect(evidence == "\(sha) png \(Self.png.count) after.png", "checksum, kind, size and name in the timeline")

            let file = try await browser.get(href)
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "image/png")
            #expect(file.headers[.contentLength] == "\(Self.png.count)")

            // A department the case was never sent to cannot tell the file from no file.
            let other = Browser(client: browser.client)
            try await other.signIn("handler.town1.police")
            #expect(try await other.get(href).status == .notFound)
            // Nor can a checksum the case's timeline does not name be read through it.
            #expect(try await browser.get("/cases/\(id)/attachments/\(String(repeating: "a", count: 64))").status == .notFound)
        }
    }

    @Test func aRenamedProgramAndAnOversizedFileAreRefusedNamingTheField() async throws {
        try await TestApp.pages { browser, api, city in
            let (id, version) = try await Self.caseInProgress(browser, api, city)
            let program = Array("MZ".utf8) + [UInt8](repeating: 0x90, count: 200)
            let renamed = try await Self.feedBack(browser, id, version: version, files: [("files", "photo.png", program)])
            #expect(renamed.html.contains("photo.png is not a photo"), "the refusal names the file")
            #expect(renamed.html.contains("files"))

            let oversized = Self.png + [UInt8](repeating: 0, count: AttachmentStore.defaultLimit)
            let large = try await Self.feedBack(browser, id, version: version, files: [("files", "big.png", oversized)])
            #expect(large.html.contains("big.png is 10.0 MB; a file is at most 10.0 MB"))

            let read = try await api.send(.get, "/api/v1/cases/\(id)", token: try await api.signIn("village1"))
            #expect(read.status_ == "inProgress", "nothing was recorded")
        }
    }

    @Test func theKindIsToldByContentNotByName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onegrid-files-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = AttachmentStore(directory: folder, limit: 1024)
        #expect(try store.keep(Self.png, name: "x.exe", field: "files").kind == .png)
        #expect(try store.keep(Array("%PDF-1.7\n".utf8), name: "../../etc/passwd", field: "files").name == "passwd")
        #expect(try store.keep(Array("#!AMR\n".utf8) + [1, 2], name: "voice.amr", field: "files").kind == .amr)
        // A voice note as Chrome's and Firefox's MediaRecorder make it: WebM (Matroska, DocType webm) or Ogg, both Opus.
        let webm: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84] + Array("webm".utf8) + [0x42, 0x87]
        #expect(try store.keep(webm, name: "voice", field: "audio").kind == .webm)
        #expect(try store.keep(webm, name: "voice", field: "audio").kind.isPhoto == false)
        #expect(try store.keep(Array("OggS".utf8) + [0, 2], name: "voice.ogg", field: "audio").kind == .ogg)
        // A Matroska file that is not WebM (a .mkv film) is none of the kinds taken.
        let matroska: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x88] + Array("matroska".utf8)
        #expect(throws: DomainError.self) { try store.keep(matroska, name: "film.mkv", field: "audio") }
        #expect(throws: DomainError.self) { try store.keep(Array("GIF89a".utf8), name: "a.gif", field: "files") }
        #expect(store.read("../secret") == nil)
    }
}
