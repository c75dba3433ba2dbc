import Foundation
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The command room's mediation, petition and screening panel: the year so far against the same
/// months a year before, in tables a leader reads at a glance, and the areas whose screening round
/// is overdue in the clock colours.
struct RoomProcedures {
    struct Row {
        var label: String
        var value: String
        var lastYear: String
        var change: String
    }

    struct SuccessRow {
        var label: String
        var accepted: String
        var concluded: String
        var successRate: String
        var lastYear: String
    }

    struct OverdueArea {
        var name: String
        var level: String
        var last: String
        var colour: String
        var state: String
    }

    var period: String
    var disputes: [Row]
    var byLevel: [SuccessRow]
    var byType: [SuccessRow]
    var byBody: [SuccessRow]
    var petitions: [Row]
    var misses: [Row]
    var screeningOverdue: String
    var screeningAreas: String
    var overdueAreas: [OverdueArea]
    var screeningURL: String

    /// The bodies and units listed, at most this many each.
    static let rows = 8

    init(_ figures: ProcedureFiguresOverview, screening: ScreeningRounds.Overview, directory: Directory, formats: PageFormats) {
        let t = formats.t
        let count = CommandRoomPage.count
        let percent = { (value: Double?) in value.map(CommandRoomPage.percent) ?? "—" }
        period = t.text("room.procedures.period", ["from": figures.from.description, "to": figures.to.description])
        /// "↑ 12.0%" against the year before, or that there is nothing to compare with.
        func change(_ now: Int, _ before: Int) -> String {
            guard before > 0 else { return "—" }
            let ratio = Double(now - before) / Double(before)
            return (ratio > 0 ? "↑ " : ratio < 0 ? "↓ " : "") + CommandRoomPage.percent(abs(ratio))
        }
        func row(_ key: String, _ now: Int, _ before: Int) -> Row {
            Row(label: t.text("room.procedures.\(key)"), value: count(now), lastYear: count(before), change: change(now, before))
        }
        func rate(_ key: String, _ now: Double?, _ before: Double?) -> Row {
            Row(
                label: t.text("room.procedures.\(key)"), value: percent(now), lastYear: percent(before),
                change: now.flatMap { now in before.map { CommandRoomPage.points(now - $0) } } ?? "—")
        }
        let (mediation, before) = (figures.mediation, figures.mediationLastYear)
        disputes = [
            row("accepted", mediation.total.accepted, before.total.accepted),
            row("concluded", mediation.total.concluded, before.total.concluded),
            rate("successRate", mediation.total.successRate, before.total.successRate),
            row("carriedOut", mediation.carriedOut, before.carriedOut),
            rate("carriedOutRate", FigureTotals.rate(mediation.carriedOut, mediation.followUps), FigureTotals.rate(before.carriedOut, before.followUps)),
            row("confirmationsApplied", mediation.confirmationsApplied, before.confirmationsApplied),
            row("confirmed", mediation.confirmed, before.confirmed),
        ]
        func success<Key: Hashable>(_ key: (MediationFigures.Group) -> Key, label: (Key) -> String) -> [SuccessRow] {
            let lastYear = before.sums(by: key)
            return mediation.sums(by: key).sorted { ($1.value.accepted, label($0.key)) < ($0.value.accepted, label($1.key)) }.prefix(Self.rows)
                .map { key, sum in
                    SuccessRow(
                        label: label(key), accepted: count(sum.accepted), concluded: count(sum.concluded), successRate: percent(sum.successRate),
                        lastYear: count(lastYear[key]?.accepted ?? 0))
                }
        }
        byLevel = success(\.level) { $0.map { t.text("level.\($0.rawValue)") } ?? t.text("room.procedures.noBody") }
        byType = success(\.type) { t.text("mediation.type.\($0.rawValue)") }
        byBody = success(\.bodyID) { $0.flatMap { figures.bodies[$0]?.name } ?? t.text("room.procedures.noBody") }

        let (petitionsNow, petitionsBefore) = (figures.petitions, figures.petitionsLastYear)
        let formsNow = petitionsNow.received(by: \.form)
        let formsBefore = petitionsBefore.received(by: \.form)
        let classesNow = petitionsNow.received(by: \.petitionClass)
        let classesBefore = petitionsBefore.received(by: \.petitionClass)
        petitions =
            [row("petitions", petitionsNow.received, petitionsBefore.received)]
            + PetitionForm.allCases.map { form in
                var line = row("petitions", formsNow[form] ?? 0, formsBefore[form] ?? 0)
                line.label = t.text("petitions.form.\(form.rawValue)")
                return line
            }
            + PetitionClass.allCases.map { petitionClass in
                var line = row("petitions", classesNow[petitionClass] ?? 0, classesBefore[petitionClass] ?? 0)
                line.label = t.text("petitions.class.\(petitionClass.rawValue)")
                return line
            }
            + [
                row("collective", petitionsNow.collective, petitionsBefore.collective),
                row("repeats", petitionsNow.repeats, petitionsBefore.repeats),
                row("crossLevel", petitionsNow.crossLevel, petitionsBefore.crossLevel),
                rate("inTimeRate", petitionsNow.inTimeRate, petitionsBefore.inTimeRate),
            ]
        let missesBefore = Dictionary(
            petitionsBefore.misses.map { ("\($0.unit.description) \($0.limit.rawValue)", $0.count) }, uniquingKeysWith: +)
        misses = petitionsNow.misses.prefix(Self.rows).map { miss in
            let unit =
                switch miss.unit {
                case .department(let id): directory.departments[id]?.name ?? miss.unit.description
                case .centre(let areaID): t.text("petitions.centre", ["area": directory.areas[areaID]?.name ?? ""])
                }
            let before = missesBefore["\(miss.unit.description) \(miss.limit.rawValue)"] ?? 0
            return Row(
                label: "\(unit) · \(t.text("petitions.limit.\(miss.limit.rawValue)"))", value: count(miss.count), lastYear: count(before),
                change: change(miss.count, before))
        }

        screeningOverdue = count(screening.overdue.count)
        screeningAreas = t.text("screening.room.ofAreas", ["count": count(screening.due.count)])
        overdueAreas = screening.overdue.prefix(Self.rows).map { due in
            OverdueArea(
                name: due.area.name, level: t.text("level.\(due.area.level.rawValue)"),
                last: due.lastDoneAt.map(formats.dateTime) ?? t.text("screening.never"), colour: due.colour.rawValue,
                state: t.text("screening.state.\(due.colour.rawValue)"))
        }
        screeningURL = SiteURL.screening.path
    }
}
