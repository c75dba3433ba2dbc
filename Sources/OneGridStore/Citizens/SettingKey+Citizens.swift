extension SettingKey where Value == String {
    /// The key the portal signs its report challenges with: made on first use and shared through
    /// the database, so a form one server rendered is checked by any other.
    public static var citizenChallengeKey: Self {
        Self(name: "citizens.challengeKey", parse: { $0 }, format: { $0 })
    }
}

extension SettingKey where Value == [String] {
    /// The category codes (each with the categories under it) the public list and map leave out,
    /// beside petitions and disputes, which they always leave out; one code a line.
    public static var citizenHiddenCategories: Self {
        Self(
            name: "citizens.hiddenCategories",
            parse: { $0.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty } },
            format: { $0.joined(separator: "\n") })
    }
}
