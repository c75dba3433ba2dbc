import SQLKit

/// The index of the list's text search (`case_search`, migration 012). Each case's title and
/// description are cut into overlapping pairs of letters or digits ("路灯不亮" → 路灯 灯不 不亮),
/// stored as the words of a full-text index (FTS5 on SQLite, a GIN-indexed tsvector on
/// PostgreSQL); a search is the phrase of its own pairs, found through that index. Pairs, because
/// Chinese puts no spaces between words and neither database's tokenizer cuts it (PostgreSQL's
/// trigrams drop CJK letters outside a UTF-8 collation, and need three of them); pairs rather
/// than single characters, because a pair's postings are a small fraction of a character's.
///
/// The index narrows, it does not decide: every text that contains the searched text contains
/// its pairs in a row, and the list still checks the text literally (LIKE), so punctuation, `%`,
/// `_` and case mean what they always did. A search with no two letters or digits in a row (a
/// lone character, "%") has no pairs and is checked literally alone.
enum CaseSearch {
    /// The pairs of `text`, lowercased, in order; runs of letters and digits are cut apart by
    /// anything else, and a run of one character gives none.
    static func pairs(_ text: String) -> [String] {
        var pairs: [String] = []
        var previous: Character?
        for character in text.lowercased() {
            guard character.isLetter || character.isNumber else {
                previous = nil
                continue
            }
            if let previous { pairs.append(String([previous, character])) }
            previous = character
        }
        return pairs
    }

    /// Adds `cases` to the index, in the transaction that writes them.
    static func index(_ cases: [(id: Int64, title: String, description: String)], kind: OneGridDatabase.Kind, into group: inout StatementGroup) {
        // 500 rows of two values stay well under SQLite's 32,766 bound values.
        for chunk in cases.chunked(into: 500) {
            let rows = chunk.map { item -> [any SQLExpression] in
                let terms = SQLBind(pairs(item.title + "\n" + item.description).joined(separator: " "))
                switch kind {
                case .sqlite: return [SQLBind(item.id), terms]
                case .postgres: return [SQLBind(item.id), SQLFunction("to_tsvector", args: SQLLiteral.string("simple"), terms)]
                }
            }
            let insert = group.database.insert(into: "case_search")
            switch kind {
            case .sqlite: group.append(insert.columns("rowid", "terms").rows(rows))
            case .postgres: group.append(insert.columns("case_id", "terms").rows(rows))
            }
        }
    }

    /// The ids of the cases whose text holds the pairs of `text` in a row, as a subquery; nil
    /// when `text` has no pair to look up.
    static func candidates(_ text: String, kind: OneGridDatabase.Kind) -> (any SQLExpression)? {
        let pairs = pairs(text)
        guard !pairs.isEmpty else { return nil }
        let phrase = pairs.joined(separator: " ")
        switch kind {
        case .sqlite:
            // Inside double quotes FTS5 reads a phrase, never its operators; pairs hold no quote.
            return SQLQueryString("SELECT rowid FROM case_search WHERE case_search MATCH \(bind: "\"" + phrase + "\"")")
        case .postgres:
            return SQLQueryString("SELECT case_id FROM case_search WHERE terms @@ phraseto_tsquery('simple', \(bind: phrase))")
        }
    }
}
