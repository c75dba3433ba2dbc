import Foundation
import Hummingbird
import OneGridDomain

/// A request's parameters as GeoReport sends them: in the query, and for a POST also in an
/// `application/x-www-form-urlencoded` body (clients differ in where they put `api_key`).
struct Open311Parameters {
    private var values: [String: [String]] = [:]

    static func read(_ request: Request, context: OneGridRequestContext) async throws -> Open311Parameters {
        var parameters = Open311Parameters()
        for (name, value) in request.uri.queryParameters { parameters.values[String(name), default: []].append(String(value)) }
        guard request.method == .post else { return parameters }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw Open311Error(.contentTooLarge, "the body is larger than \(context.maxUploadSize) bytes")
        }
        let type = request.headers[.contentType] ?? ""
        guard body.readableBytes == 0 || type.hasPrefix("application/x-www-form-urlencoded") else {
            throw Open311Error(.badRequest, "Content-Type: send the parameters as application/x-www-form-urlencoded")
        }
        for pair in String(decoding: body.readableBytesView, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = parts[0], let value = parts.count > 1 ? parts[1] : "" else {
                throw Open311Error(.badRequest, "the body is not valid form encoding near '\(pair.prefix(40))'")
            }
            parameters.values[name, default: []].append(value)
        }
        return parameters
    }

    /// The parameter's first value, trimmed; nil when absent or empty.
    subscript(_ name: String) -> String? {
        values[name]?.first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A comma-separated parameter's values.
    func list(_ name: String) -> [String] {
        (values[name] ?? []).flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Every `attribute[code]` sent, by code.
    var attributes: [String: String] {
        var found: [String: String] = [:]
        for (name, value) in values where name.hasPrefix("attribute[") && name.hasSuffix("]") {
            found[String(name.dropFirst("attribute[".count).dropLast())] = value.first ?? ""
        }
        return found
    }

    /// A text parameter of at most `limit` characters.
    func text(_ name: String, limit: Int) throws -> String? {
        guard let value = self[name] else { return nil }
        guard value.count <= limit else { throw Open311Error.invalid(name, "at most \(limit) characters") }
        return value
    }

    /// A W3C date-time (`2026-11-30T08:00:00+08:00`, `…Z`) or a date, taken in the city's zone.
    func date(_ name: String) throws -> Date? {
        guard let text = self[name] else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        var day = Date.ISO8601FormatStyle().year().month().day()
        day.timeZone = Open311Time.zone
        if let date = try? Date(text, strategy: day) { return date }
        throw Open311Error.invalid(name, "a W3C date-time like 2026-11-30T08:00:00+08:00, or a date like 2026-11-30")
    }

    /// A positive whole number in `range`.
    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = self[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Open311Error.invalid(name, "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// An http or https URL.
    func url(_ name: String) throws -> String? {
        guard let text = try text(name, limit: 2_048) else { return nil }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw Open311Error.invalid(name, "an absolute http or https URL")
        }
        return text
    }
}

/// Times as Open311 writes them: W3C date-times in the city's zone.
enum Open311Time {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    static func text(_ date: Date) -> String {
        var style = Date.ISO8601FormatStyle(timeZone: zone)
        style = style.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .colon)
        return date.formatted(style)
    }
}
