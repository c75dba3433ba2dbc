import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The command room's wall: the figures of one area the post covers (DOMAIN.md §6) as a leader
/// reads them from across the room — a few big numbers with last year beside them, the rates,
/// where cases are solved and by whom, the year's trend, the map and the areas one level down to
/// drill into, and the cases longest past their time.
struct CommandRoomPage {
    /// A step of the way back up, from the post's own area to the one shown (not a link).
    struct Crumb {
        var name: String
        var href: String?
    }

    /// A number with what it is, and how it compares with a year before.
    struct Figure {
        var label: String
        var value: String
        var unit: String
        /// "同比 ↑ 12.4%", or what else puts the number in context.
        var note: String
        /// A clock colour when the number is a state (overdue is red when any).
        var band: String?
    }

    struct ChildRow {
        var name: String
        var href: String
        var received: String
        var open: String
        var overdue: String
        var band: String
        var bandLabel: String
        var closureRate: String
        var onTimeRate: String
        var satisfaction: String
    }

    /// A month of the trend in words, for the table behind its chart.
    struct MonthRow {
        var month: String
        var received: String
        var closed: String
        var closureRate: String
    }

    struct OverdueRow {
        var number: String
        var title: String
        var href: String
        var place: String
        var status: String
        var overdueFor: String
    }

    var heading: String
    var level: String
    var period: String
    var updatedAt: String
    var crumbs: [Crumb]
    var keyFigures: [Figure]
    var rates: [Figure]
    /// "97.1%": the share closed without leaving the village, the seeds' headline.
    var inVillage: String
    var levelChart: String
    var platformChart: String
    var channelChart: String
    var trendChart: String
    var trend: [MonthRow]
    var map: String
    var childLevel: String?
    var children: [ChildRow]
    var worstOverdue: [OverdueRow]
    var hasOverdue: Bool
    /// The event stream that tells this page to refresh.
    var liveURL: String
    /// Mediation, petitions and screening, year so far (`CommandRoom+Procedures`).
    var procedures: RoomProcedures?
    /// The figures of the area and the areas below it, as downloads.
    var csvURL: String
    var ndjsonURL: String

    init(_ overview: FiguresOverview, post: Post, directory: Directory, formats: PageFormats) {
        let t = formats.t
        let area = overview.area.area
        let totals = overview.area.totals
        let lastYear = overview.area.lastYear
        let link = { (area: Area) in SiteURL.commandRoom.with([("area", String(area.id))]) }
        heading = area.name
        level = t.text("level.\(area.level.rawValue)")
        period = t.text("room.month", ["year": String(overview.to.year), "month": String(overview.to.month)])
        updatedAt = t.text("room.updatedAt", ["at": formats.dateTime(overview.now)])
        let own = overview.lineage.drop { $0.id != post.areaID }
        crumbs = own.map { Crumb(name: $0.name, href: $0.id == area.id ? nil : link($0)) }

        /// "同比 ↑ 12.4%（去年同期 1,203）".
        func change(_ now: Int, _ before: Int) -> String {
            guard before > 0 else { return t.text("room.lastYearNone") }
            let ratio = Double(now - before) / Double(before)
            let direction = abs(ratio) < 0.0005 ? "flat" : ratio > 0 ? "up" : "down"
            // A change of a whole or more needs no decimal ("↑ 4320%").
            let text = abs(ratio) >= 1 ? String(format: "%.0f%%", abs(ratio) * 100) : Self.percent(abs(ratio))
            return t.text("room.yoy.\(direction)", ["change": text, "before": Self.count(before)])
        }
        func figure(_ key: String, _ now: Int, _ before: Int) -> Figure {
            Figure(label: t.text("room.figure.\(key)"), value: Self.count(now), unit: t.text("room.cases"), note: change(now, before))
        }
        let overdue = overview.area.overdue
        let open = overview.area.open
        keyFigures = [
            figure("today", overview.receivedToday, overview.receivedTodayLastYear),
            figure("month", overview.thisMonth[.received], overview.thisMonthLastYear[.received]),
            figure("open", open, overview.openLastYear),
            Figure(
                label: t.text("room.figure.overdue"), value: Self.count(overdue), unit: t.text("room.cases"),
                note: t.text("room.overdueShare", ["share": FigureTotals.rate(overdue, open).map(Self.percent) ?? "—"]),
                band: AreaMap.Band(open: open, overdue: overdue).rawValue),
        ]
        func rate(_ key: String, _ value: Double?, _ before: Double?) -> Figure {
            let note =
                if let value, let before {
                    t.text("room.yoyPoints", ["change": Self.points(value - before)])
                } else {
                    t.text("room.lastYearNone")
                }
            return Figure(label: t.text("room.rate.\(key)"), value: value.map(Self.percent) ?? "—", unit: "", note: note)
        }
        // The closure rate is of the period's own cases: while the period runs, its cases are
        // still being closed, and a year before's, closed long since, are no fair comparison.
        let periodRuns = overview.to >= FigureMonth(overview.now, in: FigureMonth.cityTimeZone)
        var closure = rate("closure", totals.closureRate, lastYear.closureRate)
        if periodRuns { closure.note = t.text("room.closureSoFar") }
        rates = [
            closure,
            rate("onTime", totals.onTimeRate, lastYear.onTimeRate),
            rate("rework", totals.reworkRate, lastYear.reworkRate),
            rate("satisfaction", totals.satisfaction, lastYear.satisfaction),
            Figure(
                label: t.text("room.rate.cancelled"), value: Self.count(totals.cancelled), unit: t.text("room.cases"),
                note: t.text("room.cancelledParts", [
                    "rejected": Self.count(totals[.rejected]), "guided": Self.count(totals[.guided]), "merged": Self.count(totals[.merged]),
                ])),
        ]
        inVillage = totals.shareClosed(atOrBelow: .village).map(Self.percent) ?? "—"

        func shares(_ parts: [(label: String, value: Int)], of whole: Int) -> [BarChart.Bar] {
            parts.map { part in
                let share = FigureTotals.rate(part.value, whole) ?? 0
                return BarChart.Bar(label: part.label, value: share, text: "\(Self.percent(share)) · \(Self.count(part.value))", band: nil)
            }
        }
        let closedAtVillage = totals[.closed, AdminLevel.village.rawValue] + totals[.closed, AdminLevel.grid.rawValue]
        levelChart = Self.chart(
            t.text("room.chart.level", ["period": period]),
            shares(
                [(t.text("room.level.village"), closedAtVillage)]
                    + [AdminLevel.town, .county, .city].map { (t.text("level.\($0.rawValue)"), totals[.closed, $0.rawValue]) },
                of: totals[.closed]))
        platformChart = Self.chart(
            t.text("room.chart.platform", ["period": period]),
            shares(Platform.allCases.map { (t.text("platform.\($0.rawValue)"), totals[.dispatched, $0.rawValue]) }, of: totals[.dispatched]))
        channelChart = Self.chart(
            t.text("room.chart.channel", ["period": period]),
            Channel.allCases.map { channel in
                let received = totals[.received, channel.rawValue]
                let handling = totals.handlingRate(of: channel).map(Self.percent) ?? "—"
                return BarChart.Bar(
                    label: t.text("channel.\(channel.rawValue)"), value: Double(received),
                    text: t.text("room.channelBar", ["count": Self.count(received), "rate": handling]), band: nil)
            })
        trendChart = BarChart(
            caption: t.text("room.chart.trend", ["from": overview.trend.first?.month.description ?? "", "to": overview.to.description]),
            bars: overview.trend.map { month in
                BarChart.Bar(
                    label: t.text("room.monthShort", ["year": String(month.month.year % 100), "month": String(month.month.month)]),
                    value: Double(month.totals[.received]), text: Self.count(month.totals[.received]), band: nil)
            }, orientation: .vertical, plotHeight: 100
        ).svg()
        trend = overview.trend.map { month in
            MonthRow(
                month: month.month.description, received: Self.count(month.totals[.received]), closed: Self.count(month.totals[.closed]),
                closureRate: month.totals.closureRate.map(Self.percent) ?? "—")
        }

        let average = ["area": area.name, "share": FigureTotals.rate(overdue, open).map(Self.percent) ?? "—"]
        let bands = AreaMap.Band.allCases.map { ($0, t.text("room.legend.\($0.rawValue)", average)) }
        map = AreaMap(
            overview, directory: directory, caption: t.text("room.mapCaption", ["area": area.name]), legend: bands, link: link,
            label: { area, open, overdue in
                (Self.count(overdue), t.text("room.mapTitle", ["area": area.name, "open": Self.count(open), "overdue": Self.count(overdue)]))
            }
        ).svg()

        childLevel = overview.children.first.map { t.text("level.\($0.area.level.rawValue)") }
        children = overview.children.map { child in
            let band = AreaMap.Band(open: child.open, overdue: child.overdue, beside: (open, overdue))
            return ChildRow(
                name: child.area.name, href: link(child.area), received: Self.count(child.totals[.received]), open: Self.count(child.open),
                overdue: Self.count(child.overdue), band: band.rawValue, bandLabel: t.text("room.band.\(band.rawValue)"),
                closureRate: child.totals.closureRate.map(Self.percent) ?? "—", onTimeRate: child.totals.onTimeRate.map(Self.percent) ?? "—",
                satisfaction: child.totals.satisfaction.map(Self.percent) ?? "—")
        }
        worstOverdue = overview.worstOverdue.map { item in
            let path = directory.lineage(of: item.gridID)
            return OverdueRow(
                number: CaseJSON.number(id: item.id, createdAt: item.createdAt, calendar: formats.calendar), title: item.title,
                href: SiteURL.caseDetail(.value(item.id)).path,
                // The two levels under the room's own say where; a grid's name repeats its village's.
                place: path.filter { $0.level > area.level && $0.level >= .town }.prefix(2).map(\.name).joined(separator: " · "),
                status: t.text("status.\(item.status.rawValue)"), overdueFor: formats.timeLeft(until: item.dueAt))
        }
        hasOverdue = !worstOverdue.isEmpty
        liveURL = SiteURL.commandRoomLive.with([("area", String(area.id))])
        csvURL = SiteURL.commandRoomExport.with([("area", String(area.id)), ("format", ExportFormat.csv.rawValue)])
        ndjsonURL = SiteURL.commandRoomExport.with([("area", String(area.id)), ("format", ExportFormat.ndjson.rawValue)])
    }

    /// A horizontal chart sized for a third of the wall: a short scale, room for the words.
    static func chart(_ caption: String, _ bars: [BarChart.Bar]) -> String {
        BarChart(caption: caption, bars: bars, orientation: .horizontal, labelWidth: 215, barArea: 300, valueWidth: 230).svg()
    }

    /// "12,408": grouped by thousands, as a wall's large numbers read best.
    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// "97.1%".
    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    /// "+1.2" percentage points, signed.
    static func points(_ difference: Double) -> String {
        String(format: "%+.1f", difference * 100)
    }
}
