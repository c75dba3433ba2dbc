import Foundation
import Hummingbird
import NIOCore
import OneGridApplication
import OneGridDomain
import OneGridStore

/// A table of figures as a download: each row the object the JSON answer holds, written as one
/// NDJSON line, or as a CSV row of the columns named here, headed in the reader's language
/// (`figures.column.<name>`). The numbers are the JSON's, written as it writes them.
struct FigureTable<Row: Encodable> {
    /// A column's name and its cell of a row.
    typealias Column = (name: String, cell: @Sendable (Row) -> String)

    /// The file's name before its day: `figures-overview-YYYYMMDD.csv`.
    var file: String
    var columns: [Column]
    var rows: [Row]

    /// The whole download: figures are a few hundred rows at most, written at once.
    func bytes(_ format: ExportFormat, translation: Translation) throws -> [UInt8] {
        switch format {
        case .csv:
            var bytes = CSV.byteOrderMark + CSV.line(columns.map { translation.text("figures.column.\($0.name)") })
            for row in rows { bytes += CSV.line(columns.map { $0.cell(row) }) }
            return bytes
        case .ndjson:
            var bytes: [UInt8] = []
            for row in rows {
                bytes += try JSONEncoder.api.encode(row)
                bytes.append(UInt8(ascii: "\n"))
            }
            return bytes
        }
    }

    func response(_ format: ExportFormat, translation: Translation, calendar: WorkCalendar, now: Date) throws -> Response {
        let day = calendar.dayKey(now).filter { $0 != "-" }
        return Response(
            status: .ok, headers: format.headers(file: file, day: day),
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try bytes(format, translation: translation))))
    }

    /// A count as JSON writes it.
    static func count(_ value: Int) -> String { String(value) }

    /// A rate or an average as JSON writes it (the shortest text that reads back the same
    /// number); empty where JSON leaves the field out.
    static func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
}

extension FigureTable where Row == FiguresController.AreaFiguresJSON {
    /// The overview's area and the areas one level down, a row each: the period's counts and
    /// rates, open and overdue now.
    init(overview: FiguresOverview, translation t: Translation) {
        let rows = ([overview.area] + overview.children).map(FiguresController.AreaFiguresJSON.init)
        let totals: [Column] = [
            ("received", { Self.count($0.totals.received) }), ("accepted", { Self.count($0.totals.accepted) }),
            ("cancelled", { Self.count($0.totals.cancelled) }), ("rejected", { Self.count($0.totals.rejected) }),
            ("guided", { Self.count($0.totals.guided) }), ("merged", { Self.count($0.totals.merged) }),
            ("dispatched", { Self.count($0.totals.dispatched) }), ("handled", { Self.count($0.totals.handled) }),
            ("verified", { Self.count($0.totals.verified) }), ("reworked", { Self.count($0.totals.reworked) }),
            ("closed", { Self.count($0.totals.closed) }), ("closedOnTime", { Self.count($0.totals.closedOnTime) }),
            ("rated", { Self.count($0.totals.rated) }), ("returned", { Self.count($0.totals.returned) }),
            ("escalated", { Self.count($0.totals.escalated) }), ("closureRate", { Self.number($0.totals.closureRate) }),
            ("onTimeRate", { Self.number($0.totals.onTimeRate) }), ("reworkRate", { Self.number($0.totals.reworkRate) }),
            ("satisfaction", { Self.number($0.totals.satisfaction) }), ("handlingRate", { Self.number($0.totals.handlingRate) }),
            ("shareClosedInVillage", { Self.number($0.totals.shareClosedInVillage) }),
        ]
        let area: [Column] = [
            ("code", { $0.area.code }), ("name", { $0.area.name }), ("level", { t.text("level.\($0.area.level.rawValue)") }),
            ("open", { Self.count($0.open) }), ("overdue", { Self.count($0.overdue) }),
        ]
        self.init(file: "figures-overview", columns: area + totals, rows: rows)
    }
}

extension FigureTable where Row == FiguresController.FigureJSON {
    /// A row per area or department, then the rows added up (`"total": true` in NDJSON).
    init(deadlines: DeadlineFigures, directory: Directory, translation t: Translation) {
        var rows = deadlines.rows.map { FiguresController.FigureJSON($0, grouping: deadlines.grouping, directory: directory) }
        var total = FiguresController.FigureJSON(deadlines.total)
        total.total = true
        rows.append(total)
        let group: Column = (
            "group",
            { row in
                if let area = row.area { return area.name }
                if let department = row.department { return department.name }
                return t.text(row.total == true ? "figures.total" : "figures.unassigned")
            }
        )
        let columns: [Column] = [
            ("code", { $0.area?.code ?? $0.department.map { String($0.id) } ?? "" }), group,
            ("received", { Self.count($0.received) }), ("closed", { Self.count($0.closed) }),
            ("closedOnTime", { Self.count($0.closedOnTime) }), ("onTimeRate", { Self.number($0.onTimeRate) }),
            ("overdue", { Self.count($0.overdue) }), ("handled", { Self.count($0.handled) }),
            ("averageHandlingHours", { Self.number($0.averageHandlingHours) }),
        ]
        self.init(file: "figures-deadlines", columns: columns, rows: rows)
    }
}
