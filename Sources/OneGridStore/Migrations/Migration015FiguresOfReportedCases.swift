import SQLKit

/// The ledger counted again from the stored timelines, now with the steps of each month's own
/// cases booked in the month they were reported (`FigureCount.isBookedAtReport`), from which the
/// closure and handling rates are taken.
struct Migration015FiguresOfReportedCases: Migration {
    let name = "015_figures_of_reported_cases"

    func prepare(on db: any SQLDatabase) async throws {
        try await db.delete(from: "figure_ledger").run()
        try await Migration008FigureLedger.backfill(on: db)
    }
}
