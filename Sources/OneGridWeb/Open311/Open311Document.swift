import Foundation
import Hummingbird
import NIOCore
import OneGridDomain

/// The two formats GeoReport v2 answers in, named by the path's suffix (`requests.xml`).
enum Open311Format: String {
    /// Required by the specification.
    case xml
    case json

    var contentType: String {
        switch self {
        case .xml: "text/xml; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        }
    }

    /// The format and the name before it in a path's last component (`638344.json`); nil when
    /// the suffix is neither.
    static func split(_ component: String) -> (name: String, format: Open311Format)? {
        guard let dot = component.lastIndex(of: "."), let format = Open311Format(rawValue: String(component[component.index(after: dot)...])) else {
            return nil
        }
        return (String(component[..<dot]), format)
    }
}

/// One answer of the Open311 group, written once and rendered in either format: an object's
/// members become child elements in XML and members in JSON; a list's items become elements of
/// the item name in XML and an array in JSON, as the specification's examples show them.
indirect enum Open311Value {
    /// An empty element in XML, null in JSON.
    case none
    case text(String)
    case integer(Int64)
    case number(Double)
    case boolean(Bool)
    case object([(String, Open311Value)])
    case list(item: String, [Open311Value])

    static func text(_ value: String?) -> Open311Value { value.map(Open311Value.text) ?? .none }
}

struct Open311Document {
    /// The XML root element's name.
    var root: String
    var value: Open311Value

    func response(_ format: Open311Format, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var bytes: [UInt8] = []
        switch format {
        case .xml:
            bytes.append(contentsOf: #"<?xml version="1.0" encoding="utf-8"?>"#.utf8)
            Self.writeXML(root, value, into: &bytes)
        case .json:
            Self.writeJSON(value, into: &bytes)
        }
        var headers = extra
        headers[.contentType] = format.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private static func writeXML(_ name: String, _ value: Open311Value, into bytes: inout [UInt8]) {
        if case .none = value {
            bytes.append(contentsOf: "<\(name)/>".utf8)
            return
        }
        bytes.append(contentsOf: "<\(name)>".utf8)
        switch value {
        case .none: break
        case .text(let text): escapeXML(text, into: &bytes)
        case .integer(let number): bytes.append(contentsOf: String(number).utf8)
        case .number(let number): bytes.append(contentsOf: number.description.utf8)
        case .boolean(let flag): bytes.append(contentsOf: String(flag).utf8)
        case .object(let members):
            for (key, member) in members { writeXML(key, member, into: &bytes) }
        case .list(let item, let items):
            for element in items { writeXML(item, element, into: &bytes) }
        }
        bytes.append(contentsOf: "</\(name)>".utf8)
    }

    private static func escapeXML(_ text: String, into bytes: inout [UInt8]) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": bytes.append(contentsOf: "&amp;".utf8)
            case "<": bytes.append(contentsOf: "&lt;".utf8)
            case ">": bytes.append(contentsOf: "&gt;".utf8)
            case "\"": bytes.append(contentsOf: "&quot;".utf8)
            // XML 1.0 has no way to write the other control characters: they are left out.
            case "\t", "\n", "\r": bytes.append(UInt8(scalar.value))
            case _ where scalar.value < 0x20: break
            default: bytes.append(contentsOf: String(scalar).utf8)
            }
        }
    }

    private static func writeJSON(_ value: Open311Value, into bytes: inout [UInt8]) {
        switch value {
        case .none: bytes.append(contentsOf: "null".utf8)
        case .text(let text): CanonicalJSON.appendString(text, to: &bytes)
        case .integer(let number): bytes.append(contentsOf: String(number).utf8)
        case .number(let number): bytes.append(contentsOf: number.description.utf8)
        case .boolean(let flag): bytes.append(contentsOf: String(flag).utf8)
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, (key, member)) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                CanonicalJSON.appendString(key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                writeJSON(member, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        case .list(_, let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                writeJSON(item, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }
}
