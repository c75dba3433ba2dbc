/// A page model turned into dictionaries and arrays before Mustache reads it.
///
/// Mustache finds a struct's field by reflecting the whole struct at every lookup, and a name
/// not on the innermost object (a string of `t`, a field of the page inside a row's section)
/// is looked for that way on every object up the context stack. On a queue of 50 rows that was
/// 70 % of the page's time. Reflecting each value once up front makes every lookup a dictionary
/// read; what renders is the same.
enum RenderTree {
    static func of(_ value: Any) -> Any? {
        // The common leaves, without a mirror.
        if value is String || value is Int || value is Bool || value is Double || value is Int64 { return value }
        if let dictionary = value as? [String: Any] {
            return dictionary.compactMapValues(of)
        }
        if let fields = value as? any RenderFields {
            return fields.renderFields.compactMapValues(of)
        }
        return reflected(value)
    }

    /// The value as its mirror shows it, each field turned in turn.
    static func reflected(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { of($0.value) }
        case .collection, .set:
            return mirror.children.compactMap { of($0.value) }
        case .struct, .class:
            // What describes itself (a date, a URL) prints as it did; page models do not.
            if value is any CustomStringConvertible { return value }
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let field = of(child.value) else { continue }
                fields[label] = field
            }
            return fields
        default:
            // Enums, tuples and the like print as Swift describes them, as before.
            return value
        }
    }
}

/// A model type repeated down long lists, which names its fields itself: a mirror of a queue's
/// row and its clock cost more than the rest of the row's rendering (a sixth of the page).
/// `RenderTreeTests` holds each one to the fields its mirror shows.
protocol RenderFields {
    var renderFields: [String: Any] { get }
}
