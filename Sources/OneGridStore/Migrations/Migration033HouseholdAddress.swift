import SQLKit

/// The risk judgement counts the police incidents at each household's address that no case
/// carries, joining the incident feed to households by address. Without an index on the address
/// SQLite read every household and, for each, every police incident: at 100,000 demo cases
/// (131,000 households, 13,000 incidents) the join ran for minutes, past the reports lane's time
/// limit, every half minute, and held that lane from every other report.
struct Migration033HouseholdAddress: Migration {
    let name = "033_household_address"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(index: "households_address").on("households").column("address").run()
    }
}
