/// The body of a step on a case or on a dispute: the step's name as `action`, the version the
/// client saw, and the step's input read from the same object.
struct ActionRequest<Input: Decodable>: Decodable {
    var action: String
    var version: Int?
    var input: Input

    enum CodingKeys: String, CodingKey { case action, version }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        action = try container.decode(String.self, forKey: .action)
        version = try container.decodeIfPresent(Int.self, forKey: .version)
        input = try Input(from: decoder)
    }
}
