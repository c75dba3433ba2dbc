import Foundation
import Hummingbird
import NIOCore
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The assessment pages (考核): a level's table with ranks and grades, a unit's score sheet down
/// to its cases, cards, the settings form and closing a period; and grid workers' figures. Every
/// rule is `Assessment`'s and `Figures`'; each table also downloads as CSV (`format=csv`) and
/// prints on A4.
struct AssessmentPages {
    let site: PageSite

    func register(on pages: PageRouter) {
        pages.on(.assessment, use: table)
        pages.on(.assessmentSheet, use: sheet)
        pages.on(.assessmentCards, method: .post, use: card)
        pages.on(.assessmentClose, method: .post, use: close)
        pages.on(.assessmentSettings, use: settings)
        pages.on(.assessmentSettings, method: .post, use: saveSettings)
        pages.on(.gridWork, use: gridWork)
    }

    // MARK: Shared

    /// A page's parameters: the query of a GET, or the form fields of a refused POST shown again.
    typealias Query = [String: String]

    static func query(_ request: Request) -> Query {
        Dictionary(request.uri.queryParameters.map { (String($0.key), String($0.value)) }) { first, _ in first }
    }

    func period(_ query: Query) throws -> AssessmentPeriod {
        try AssessmentController.period(query["period"], now: site.services.clock.now)
    }

    func periodOptions(_ chosen: AssessmentPeriod, t: Translation) async throws -> [AssessmentOption] {
        var options = try await site.services.assessment.periods().map { period, closed in
            AssessmentOption(value: period.key, label: label(period, t: t) + (closed ? t.text("assessment.closedMark") : ""), selected: period == chosen)
        }
        if !options.contains(where: \.selected) { options.insert(AssessmentOption(value: chosen.key, label: label(chosen, t: t), selected: true), at: 0) }
        return options
    }

    func label(_ period: AssessmentPeriod, t: Translation) -> String {
        period.isQuarter
            ? t.text("assessment.quarter", ["year": "\(period.first.year)", "quarter": "\((period.first.month + 2) / 3)"])
            : t.text("assessment.month", ["year": "\(period.first.year)", "month": "\(period.first.month)"])
    }

    static func percent(_ rate: Double?) -> String { rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
    static func number(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "—" }

    static func gradeClass(_ grade: AssessmentGrade?) -> String { "grade-" + (grade?.rawValue.lowercased() ?? "none") }

    func sheetURL(_ kind: AssessmentUnitKind, unit: Int64, period: AssessmentPeriod, indicator: AssessmentIndicator? = nil) -> String {
        SiteURL.assessmentSheet.with([("level", kind.rawValue), ("unit", String(unit)), ("period", period.key), ("indicator", indicator?.rawValue ?? "")])
    }

    /// A small table as a spreadsheet: UTF-8 with its byte order mark, so Excel reads the Chinese.
    static func csv(_ name: String, header: [String], rows: [[String]]) -> Response {
        var buffer = ByteBuffer(bytes: CSV.byteOrderMark + CSV.line(header))
        for row in rows { buffer.writeBytes(CSV.line(row)) }
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store", .contentDisposition: "attachment; filename=\"\(name).csv\""],
            body: ResponseBody(byteBuffer: buffer))
    }

    // MARK: The table

    @Sendable func table(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let query = Self.query(request)
        return try await renderTable(request, query: query, context: context, message: query["done"].map { "assessment.done.\($0)" }, error: nil)
    }

    func renderTable(_ request: Request, query: Query, context: SignedInPageContext, message: String?, error: String?) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let post = context.principal.post
        let kind = try AssessmentController.level(query["level"], for: post)
        let period = try period(query)
        let table = try await site.services.assessment.table(kind, period: period, for: context.principal)
        let indicators = kind.indicators
        let rows = table.rows.map { row in
            AssessmentPage.Row(
                rank: row.result.rank.map(String.init) ?? "—", unit: row.unit.name, sheetURL: sheetURL(kind, unit: row.unit.id, period: period),
                place: row.unit.place, rates: indicators.map { Self.percent(row.result.counts[$0]?.rate) }, score: Self.number(row.result.score),
                cardPoints: row.result.cardPoints > 0 ? "−" + Self.number(row.result.cardPoints) : "",
                grade: row.result.grade?.rawValue ?? "—", gradeClass: Self.gradeClass(row.result.grade),
                stationed: Self.number(row.result.stationedScore))
        }
        let levelName = t.text("assessment.level.\(kind.rawValue)")
        if query["format"] == "csv" {
            var header = [t.text("assessment.rank"), levelName, t.text("assessment.place")]
            header += indicators.map { t.text("assessment.indicator.\($0.rawValue)") }
            header += [t.text("assessment.cards"), t.text("assessment.score"), t.text("assessment.grade")]
            if kind == .department { header.append(t.text("assessment.stationed")) }
            return Self.csv(
                "assessment-\(kind.rawValue)-\(period.key)", header: header,
                rows: rows.map { row in
                    [row.rank, row.unit, row.place] + row.rates + [row.cardPoints, row.score, row.grade] + (kind == .department ? [row.stationed] : [])
                })
        }
        let closedText = table.closed.map { t.text("assessment.closedAt", ["at": site.formats(context.page.language).dateTime($0.closedAt)]) }
        let model = AssessmentPage(
            levels: AssessmentUnitKind.allCases.map {
                AssessmentOption(
                    value: $0.rawValue, label: t.text("assessment.level.\($0.rawValue)"),
                    href: SiteURL.assessment.with([("level", $0.rawValue), ("period", period.key)]), selected: $0 == kind)
            },
            periods: try await periodOptions(period, t: t), level: kind.rawValue, levelName: levelName, period: period.key, closed: closedText,
            canClose: Assessment.administrators.contains(post.role) && table.closed == nil && period.hasEnded(at: site.services.clock.now),
            settingsURL: Assessment.administrators.contains(post.role) ? SiteURL.assessmentSettings.path : nil,
            gridWorkURL: SiteURL.gridWork.with([("period", period.key)]),
            exportURL: SiteURL.assessment.with([("level", kind.rawValue), ("period", period.key), ("format", "csv")]),
            indicators: indicators.map { t.text("assessment.indicator.\($0.rawValue)") }, showsStationed: kind == .department, rows: rows,
            message: message.map { t.text($0) }, error: error)
        let layout = Layout(
            title: t.text("assessment.title", ["level": levelName, "period": label(period, t: t)]), request: request, context: context.page,
            renderer: site.renderer)
        return site.renderer.render("assessment", model, layout: layout, status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func close(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let level = form["level"] ?? AssessmentUnitKind.town.rawValue
        do {
            let period = try AssessmentPeriod.parse(form["period"] ?? "")
            _ = try await site.services.assessment.close(period, by: context.principal)
            return PageRenderer.redirect(to: SiteURL.assessment.with([("level", level), ("period", period.key), ("done", "closed")]))
        } catch let error as DomainError where error.code == .invalid || error.code == .notAllowedInState {
            let t = site.renderer.translation(context.page.language)
            return try await renderTable(
                request, query: ["level": level, "period": form["period"] ?? ""], context: context, message: nil,
                error: t.text("assessment.error.close", ["reason": error.message]))
        }
    }

    // MARK: The score sheet

    @Sendable func sheet(_ request: Request, context: SignedInPageContext) async throws -> Response {
        try await renderSheet(request, query: Self.query(request), context: context, typed: [:], errors: [:])
    }

    func renderSheet(
        _ request: Request, query: Query, context: SignedInPageContext, typed: [String: String], errors: [String: String]
    ) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let formats = site.formats(context.page.language)
        let kind = try AssessmentController.level(query["level"], for: context.principal.post)
        guard let unitID = query["unit"].flatMap(Int64.init) else { throw PageError.notFound }
        let indicator = query["indicator"].flatMap(AssessmentIndicator.init(rawValue:))
        let period = try period(query)
        let limit = 500
        let sheet = try await site.services.assessment.sheet(kind, unitID: unitID, period: period, indicator: indicator, for: context.principal, limit: limit)
        let counted = t.text("assessment.counted"), notCounted = t.text("assessment.notCounted")
        let cases = sheet.cases.map { item in
            AssessmentSheetPage.CaseLine(
                id: item.id, number: CaseJSON.number(id: item.id, createdAt: item.createdAt, calendar: site.services.calendar),
                url: SiteURL.caseDetail(.value(item.id)).path, title: item.title, status: item.status.chineseName,
                created: formats.dateTime(item.createdAt), counted: item.counted, countedLabel: item.counted ? counted : notCounted)
        }
        if query["format"] == "csv" {
            if let indicator {
                return Self.csv(
                    "assessment-\(kind.rawValue)-\(unitID)-\(indicator.rawValue)-\(period.key)",
                    header: [t.text("assessment.caseNumber"), t.text("assessment.caseTitle"), t.text("assessment.caseStatus"), t.text("assessment.reported"), t.text("assessment.inNumerator")],
                    rows: cases.map { [$0.number, $0.title, $0.status, $0.created, $0.countedLabel] })
            }
            return Self.csv(
                "assessment-\(kind.rawValue)-\(unitID)-\(period.key)",
                header: [t.text("assessment.indicatorHeading"), t.text("assessment.numerator"), t.text("assessment.denominator"), t.text("assessment.rate"), t.text("assessment.weight")],
                rows: kind.indicators.map { item in
                    let count = sheet.result.counts[item] ?? IndicatorCount(0, of: 0)
                    return [t.text("assessment.indicator.\(item.rawValue)"), String(count.numerator), String(count.denominator), Self.percent(count.rate),
                        Self.number(sheet.settings.weights[kind]?[item])]
                })
        }
        let denominator = indicator.flatMap { sheet.result.counts[$0]?.denominator } ?? 0
        let model = AssessmentSheetPage(
            unit: sheet.unit.name, place: sheet.unit.place, levelName: t.text("assessment.level.\(kind.rawValue)"), period: label(period, t: t),
            closed: sheet.closed.map { t.text("assessment.closedAt", ["at": formats.dateTime($0.closedAt)]) },
            backURL: SiteURL.assessment.with([("level", kind.rawValue), ("period", period.key)]),
            lines: kind.indicators.map { item in
                let count = sheet.result.counts[item] ?? IndicatorCount(0, of: 0)
                return AssessmentSheetPage.Line(
                    name: t.text("assessment.indicator.\(item.rawValue)"), numerator: count.numerator, denominator: count.denominator,
                    rate: Self.percent(count.rate), weight: Self.number(sheet.settings.weights[kind]?[item]), lowerIsBetter: item.lowerIsBetter,
                    casesURL: sheetURL(kind, unit: unitID, period: period, indicator: item), current: item == indicator)
            },
            rateScore: Self.number(sheet.result.rateScore), cardPoints: Self.number(sheet.result.cardPoints), score: Self.number(sheet.result.score),
            grade: sheet.result.grade?.rawValue ?? "—", gradeClass: Self.gradeClass(sheet.result.grade),
            cards: sheet.cards.map { card in
                AssessmentSheetPage.Card(
                    colour: t.text("assessment.card.\(card.colour.rawValue)"), colourClass: "card-\(card.colour.rawValue)", points: "−" + Self.number(card.points),
                    reason: card.reason, caseURL: card.caseID.map { SiteURL.caseDetail(.value($0)).path }, caseID: card.caseID.map(String.init) ?? "",
                    at: formats.dateTime(card.at))
            },
            givesCards: Assessment.cardGivers.contains(context.principal.post.role) && sheet.closed == nil, level: kind.rawValue, unitID: unitID,
            periodKey: period.key, redSelected: typed["colour"] == CardColour.red.rawValue,
            indicator: indicator?.rawValue, indicatorName: indicator.map { t.text("assessment.indicator.\($0.rawValue)") }, cases: cases,
            casesCut: denominator > limit ? t.text("assessment.casesCut", ["shown": "\(limit)", "total": "\(denominator)"]) : nil,
            exportURL: sheetURL(kind, unit: unitID, period: period, indicator: indicator) + "&format=csv",
            typed: typed, errors: errors, message: query["done"].map { t.text("assessment.done.\($0)") })
        let layout = Layout(
            title: t.text("assessment.sheetTitle", ["unit": sheet.unit.name, "period": label(period, t: t)]), request: request, context: context.page,
            renderer: site.renderer)
        return site.renderer.render("assessment-sheet", model, layout: layout, status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func card(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        let t = site.renderer.translation(context.page.language)
        let back = ["level", "unit", "period"].map { ($0, form[$0] ?? "") }
        do {
            let kind = try AssessmentController.level(form["level"], for: context.principal.post)
            guard let unit = Int64(form["unit"] ?? "") else { throw DomainError.invalid(field: "unit", "the unit") }
            guard let colour = CardColour(rawValue: form["colour"] ?? "") else { throw DomainError.invalid(field: "colour", "yellow or red") }
            let caseText = (form["caseID"] ?? "").trimmingCharacters(in: .whitespaces)
            guard caseText.isEmpty || Int64(caseText) != nil else { throw DomainError.invalid(field: "caseID", "a case number") }
            _ = try await site.services.assessment.giveCard(
                colour, to: kind, unitID: unit, period: try AssessmentPeriod.parse(form["period"] ?? ""), reason: form["reason"] ?? "",
                caseID: Int64(caseText), by: context.principal)
            return PageRenderer.redirect(to: SiteURL.assessmentSheet.with(back + [("done", "card")]))
        } catch let error as DomainError where error.code == .invalid || error.code == .notAllowedInState {
            let field = error.code == .notAllowedInState ? "reason" : error.field ?? "reason"
            let typed = ["reason": form["reason"] ?? "", "caseID": form["caseID"] ?? "", "colour": form["colour"] ?? ""]
            return try await renderSheet(
                request, query: Dictionary(uniqueKeysWithValues: back), context: context, typed: typed,
                errors: [field: t.text("assessment.error.card", ["reason": error.message])])
        }
    }

    // MARK: Settings

    @Sendable func settings(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let current = try await site.services.assessment.settings()
        return renderSettings(request, context: context, values: Self.values(of: current), error: nil,
            message: request.uri.queryParameters.get("done") == nil ? nil : "assessment.done.settings")
    }

    /// Every field of the form by its name, as the settings hold it.
    static func values(of settings: AssessmentSettings) -> [String: String] {
        var values: [String: String] = [:]
        for kind in AssessmentUnitKind.allCases {
            for indicator in kind.indicators { values["weights.\(kind.rawValue).\(indicator.rawValue)"] = AssessmentPages.plain(settings.weights[kind]?[indicator] ?? 0) }
        }
        for grade in [AssessmentGrade.a, .b, .c, .d] { values["gradeMinimums.\(grade.rawValue)"] = plain(settings.gradeMinimums[grade] ?? 0) }
        for colour in CardColour.allCases { values["cardPoints.\(colour.rawValue)"] = plain(settings.cardPoints[colour] ?? 0) }
        for (name, value) in [
            ("stationedTownShare", settings.stationedTownShare), ("stationedDepartmentShare", settings.stationedDepartmentShare),
            ("signingHours", settings.signingHours), ("dispatchHours", settings.dispatchHours), ("verificationHours", settings.verificationHours),
        ] { values[name] = plain(value) }
        return values
    }

    static func plain(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }

    func renderSettings(
        _ request: Request, context: SignedInPageContext, values: [String: String], error: DomainError?, message: String?
    ) -> Response {
        let t = site.renderer.translation(context.page.language)
        func field(_ name: String, _ label: String) -> AssessmentSettingsPage.Field {
            AssessmentSettingsPage.Field(
                name: name, id: "s-" + name.replacingOccurrences(of: ".", with: "-"), label: label, value: values[name] ?? "",
                error: error?.field == name ? error?.message : nil)
        }
        /// `field`: the name a refusal of the whole group carries (a level's weights not summing to 100).
        func group(_ heading: String, field groupField: String, note: String? = nil, _ fields: [AssessmentSettingsPage.Field]) -> AssessmentSettingsPage.Group {
            AssessmentSettingsPage.Group(heading: heading, note: note, error: error?.field == groupField ? error?.message : nil, fields: fields)
        }
        var groups = AssessmentUnitKind.allCases.map { kind in
            group(
                t.text("assessment.weightsOf", ["level": t.text("assessment.level.\(kind.rawValue)")]), field: "weights.\(kind.rawValue)",
                note: t.text("assessment.weightsNote"),
                kind.indicators.map { field("weights.\(kind.rawValue).\($0.rawValue)", t.text("assessment.indicator.\($0.rawValue)")) })
        }
        groups.append(group(
            t.text("assessment.grades"), field: "gradeMinimums", note: t.text("assessment.gradesNote"),
            ["A", "B", "C", "D"].map { field("gradeMinimums.\($0)", t.text("assessment.gradeMinimum", ["grade": $0])) }))
        groups.append(group(
            t.text("assessment.cards"), field: "cardPoints",
            CardColour.allCases.map { field("cardPoints.\($0.rawValue)", t.text("assessment.cardPoints", ["card": t.text("assessment.card.\($0.rawValue)")])) }))
        groups.append(group(
            t.text("assessment.stationed"), field: "stationed", note: t.text("assessment.stationedNote"),
            [field("stationedTownShare", t.text("assessment.townShare")), field("stationedDepartmentShare", t.text("assessment.departmentShare"))]))
        groups.append(group(
            t.text("assessment.limits"), field: "hours",
            ["signingHours", "dispatchHours", "verificationHours"].map { field($0, t.text("assessment.\($0)")) }))
        // A refusal shown beside its field is announced above the form too; any other in full.
        let located = groups.contains { $0.error != nil || $0.fields.contains { $0.error != nil } }
        let model = AssessmentSettingsPage(
            groups: groups, message: message.map { t.text($0) },
            error: error.map { located ? t.text("assessment.error.settings") : $0.message })
        let layout = Layout(title: t.text("assessment.settingsTitle"), request: request, context: context.page, renderer: site.renderer)
        return site.renderer.render("assessment-settings", model, layout: layout, status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func saveSettings(_ request: Request, context: SignedInPageContext) async throws -> Response {
        var request = request
        let form = try await FormData(request: &request, context: context)
        var values = Self.values(of: .defaults)
        for name in values.keys { values[name] = form[name] ?? "" }
        do {
            func number(_ name: String) throws -> Double {
                guard let value = Double((values[name] ?? "").trimmingCharacters(in: .whitespaces)) else {
                    throw DomainError.invalid(field: name, "a number")
                }
                return value
            }
            var weights: [AssessmentUnitKind: [AssessmentIndicator: Double]] = [:]
            for kind in AssessmentUnitKind.allCases {
                for indicator in kind.indicators { weights[kind, default: [:]][indicator] = try number("weights.\(kind.rawValue).\(indicator.rawValue)") }
            }
            var grades: [AssessmentGrade: Double] = [:]
            for grade in [AssessmentGrade.a, .b, .c, .d] { grades[grade] = try number("gradeMinimums.\(grade.rawValue)") }
            var cards: [CardColour: Double] = [:]
            for colour in CardColour.allCases { cards[colour] = try number("cardPoints.\(colour.rawValue)") }
            let settings = AssessmentSettings(
                weights: weights, gradeMinimums: grades, cardPoints: cards, stationedTownShare: try number("stationedTownShare"),
                stationedDepartmentShare: try number("stationedDepartmentShare"), signingHours: try number("signingHours"),
                dispatchHours: try number("dispatchHours"), verificationHours: try number("verificationHours"))
            _ = try await site.services.assessment.save(settings, by: context.principal)
            return PageRenderer.redirect(to: SiteURL.assessmentSettings.with([("done", "settings")]))
        } catch let error as DomainError where error.code == .invalid {
            return renderSettings(request, context: context, values: values, error: error, message: nil)
        }
    }

    // MARK: Grid workers' figures

    @Sendable func gridWork(_ request: Request, context: SignedInPageContext) async throws -> Response {
        let t = site.renderer.translation(context.page.language)
        let post = context.principal.post
        let query = Self.query(request)
        let period = try period(query)
        let chosen = query["area"].flatMap(Int64.init)
        let figures = try await site.services.figures.gridWork(in: chosen, period: period, for: post)
        func row(_ line: GridWorkFigures.Line, name: String, place: String) -> GridWorkPage.Row {
            GridWorkPage.Row(
                name: name, place: place, visits: line.visits, due: line.due, coverage: Self.percent(line.coverage), reports: line.reports.denominator,
                validRate: Self.percent(line.reports.rate),
                verifiedOnTime: "\(line.verifiedOnTime.numerator)/\(line.verifiedOnTime.denominator)")
        }
        let directory = site.services.directory
        func parent(_ area: Area) -> String { directory.areas[area.parentID ?? 0]?.name ?? "" }
        let workers = figures.workers.map { row($0, name: $0.worker?.name ?? "", place: $0.area.name) }
        if query["format"] == "csv" {
            return Self.csv(
                "grid-work-\(figures.area.code)-\(period.key)",
                header: ["name", "grid", "visits", "due", "coverage", "reports", "validRate", "verifiedOnTime"].map { t.text("gridWork.\($0)") },
                rows: workers.map { [$0.name, $0.place, String($0.visits), String($0.due), $0.coverage, String($0.reports), $0.validRate, $0.verifiedOnTime] })
        }
        let areas = ([directory.areas[post.areaID]].compactMap { $0 } + directory.areas.values.filter {
            ($0.level == .town || $0.level == .village) && $0.retiredAt == nil && $0.id != post.areaID && directory.covers(post, areaID: $0.id)
        }.sorted { $0.code < $1.code }).prefix(500)
        let model = GridWorkPage(
            area: figures.area.name,
            areas: areas.map { AssessmentOption(value: String($0.id), label: $0.name, selected: $0.id == figures.area.id) },
            periods: try await periodOptions(period, t: t),
            exportURL: SiteURL.gridWork.with([("area", String(figures.area.id)), ("period", period.key), ("format", "csv")]),
            sections: [
                .init(
                    id: "villages", heading: t.text("gridWork.perVillage"), nameHeading: t.text("gridWork.village"), placeHeading: t.text("gridWork.town"),
                    rows: figures.villages.map { row($0, name: $0.area.name, place: parent($0.area)) }),
                .init(
                    id: "grids", heading: t.text("gridWork.perGrid"), nameHeading: t.text("gridWork.grid"), placeHeading: t.text("gridWork.village"),
                    rows: figures.grids.map { row($0, name: $0.area.name, place: parent($0.area)) }),
                .init(
                    id: "workers", heading: t.text("gridWork.perWorker"), nameHeading: t.text("gridWork.name"), placeHeading: t.text("gridWork.grid"),
                    rows: workers),
            ])
        let layout = Layout(
            title: t.text("gridWork.title", ["area": figures.area.name, "period": label(period, t: t)]), request: request, context: context.page,
            renderer: site.renderer)
        return site.renderer.render("grid-work", model, layout: layout)
    }
}
