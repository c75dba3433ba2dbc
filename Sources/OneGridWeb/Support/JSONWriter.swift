import Foundation
import Hummingbird
import NIOCore
import OneGridDomain

/// JSON written straight into bytes, for the answers sent most: a case in intake, lists and
/// actions. `JSONEncoder` first builds a tree of boxed values, which measured a quarter of
/// intake's CPU. What it writes reads as `JSONEncoder.api` writes it: members in the order
/// given, nil members left out, dates ISO 8601 in UTC to the second, slashes unescaped (tests
/// compare the two).
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Per open object or array: whether the next member is its first.
    private var isFirst: [Bool] = []

    init() {
        bytes.reserveCapacity(2048)
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    mutating func array<Element>(_ elements: some Sequence<Element>, _ write: (inout JSONWriter, Element) -> Void) {
        open(UInt8(ascii: "["))
        for element in elements {
            separate()
            write(&self, element)
        }
        close(UInt8(ascii: "]"))
    }

    // MARK: Members of an object; a nil value leaves the member out.

    mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        CanonicalJSON.appendString(value, to: &bytes)
    }

    mutating func field(_ key: String, _ value: Int64?) {
        guard let value else { return }
        self.key(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ key: String, _ value: Int?) {
        field(key, value.map(Int64.init))
    }

    mutating func field(_ key: String, _ value: Double?) {
        guard let value else { return }
        self.key(key)
        // As JSONEncoder: the shortest text that reads back as the same number, "1" not "1.0".
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func field(_ key: String, _ value: Bool?) {
        guard let value else { return }
        self.key(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func field(_ key: String, _ value: Date?) {
        guard let value else { return }
        self.key(key)
        appendDate(value)
    }

    mutating func field<Value: RawRepresentable>(_ key: String, _ value: Value?) where Value.RawValue == String {
        field(key, value?.rawValue)
    }

    /// A member written by the value itself.
    mutating func field(_ key: String, _ value: (some JSONWritable)?) {
        guard let value else { return }
        self.key(key)
        value.write(to: &self)
    }

    mutating func field<Element>(_ key: String, _ elements: [Element]?, _ write: (inout JSONWriter, Element) -> Void) {
        guard let elements else { return }
        self.key(key)
        array(elements, write)
    }

    /// A member that is an object written by `body`.
    mutating func field(_ key: String, object body: (inout JSONWriter) -> Void) {
        self.key(key)
        object(body)
    }

    /// A member seldom sent, written by `JSONEncoder.api`.
    mutating func field(_ key: String, encoding value: (some Encodable)?) {
        guard let value, let data = try? JSONEncoder.api.encode(value) else { return }
        self.key(key)
        bytes.append(contentsOf: data)
    }

    // MARK: Array elements

    mutating func element(_ value: String) {
        CanonicalJSON.appendString(value, to: &bytes)
    }

    // MARK: Bytes

    private mutating func key(_ key: String) {
        separate()
        CanonicalJSON.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func separate() {
        if isFirst.last == false { bytes.append(UInt8(ascii: ",")) }
        if !isFirst.isEmpty { isFirst[isFirst.count - 1] = false }
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        isFirst.append(true)
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(bracket)
        isFirst.removeLast()
    }

    /// "2026-11-23T08:30:00Z": the civil date in UTC, seconds truncated as ISO8601's default
    /// format does.
    private mutating func appendDate(_ date: Date) {
        let time = CivilTime(date)
        bytes.append(UInt8(ascii: "\""))
        appendDigits(time.year, 4)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(time.month, 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(time.day, 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(time.hour, 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(time.minute, 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(time.second, 2)
        bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }

    private mutating func appendDigits(_ value: Int64, _ width: Int) {
        let digits = String(value)
        for _ in digits.count..<max(width, digits.count) { bytes.append(UInt8(ascii: "0")) }
        bytes.append(contentsOf: digits.utf8)
    }
}

/// A value that writes its own JSON.
protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWritable {
    /// The value's JSON.
    var json: [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }
}

/// An answer that writes its own JSON.
protocol JSONResponse: ResponseGenerator, JSONWritable {}

extension JSONResponse {
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }
}
