import SQLKit

extension SQLQueryFetcher {
    /// `all(decoding:with:)` for the background's long reads (the risk judgement every half
    /// minute): the rows are decoded a slice at a time, yielding between slices, so the few
    /// cooperative threads every request runs on are never held for the whole decode. Decoding
    /// the 945 risk standings at once held one of two threads for about 100 ms, and every list
    /// and every intake in flight waited.
    func allInTurns<D: Decodable>(decoding type: D.Type, with decoder: SQLRowDecoder = SQLRowDecoder()) async throws -> [D] {
        let rows = try await all()
        var decoded: [D] = []
        decoded.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            if index > 0, index.isMultiple(of: 64) { await Task.yield() }
            decoded.append(try row.decode(model: type, with: decoder))
        }
        return decoded
    }
}
