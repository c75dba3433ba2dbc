import SQLKit

/// The open cases per area, summed from the ledger by `count` for every grid of the area a
/// command room's map shows: the primary key leads with the area, so each area's every month,
/// count and dimension was read to find its open rows (61 ms for a city's 739 areas at 200,000
/// cases). Led by the count and covering the value, the sum reads only the open rows (2 ms).
struct Migration014OpenFigureIndex: Migration {
    let name = "014_open_figure_index"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.create(index: "figure_ledger_by_count").on("figure_ledger")
            .column("count").column("area_id").column("month").column("value").run()
    }
}
