import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

/// The assessment's JSON API (考核, DOMAIN.md §7) and grid workers' figures: every answer is
/// `Assessment`'s or `Figures`'; the controller parses and shapes.
struct AssessmentController {
    let services: OneGridServices

    func register(on api: APIRouter) {
        api.on(.assessment, use: table)
        api.on(.assessmentSheet, use: sheet)
        api.on(.assessmentSettings, use: settings)
        api.on(.assessmentSettingsReplace, use: replaceSettings)
        api.on(.assessmentClose, use: close)
        api.on(.assessmentCards, use: card)
        api.on(.gridWorkFigures, use: gridWork)
    }

    struct UnitJSON: Codable, Sendable {
        var level: AssessmentUnitKind
        var id: Int64
        var name: String
        var place: String

        init(_ unit: Assessment.Unit) {
            level = unit.kind
            id = unit.id
            name = unit.name
            place = unit.place
        }
    }

    struct IndicatorJSON: Codable, Sendable {
        var indicator: AssessmentIndicator
        var numerator: Int
        var denominator: Int
        var rate: Double?
        var weight: Double
        var lowerIsBetter: Bool
    }

    struct ResultJSON: Codable, Sendable {
        var unit: UnitJSON
        var indicators: [IndicatorJSON]
        var rateScore: Double?
        var cardPoints: Double
        var score: Double?
        var grade: AssessmentGrade?
        var stationedScore: Double?
        var rank: Int?

        init(_ unit: Assessment.Unit, _ result: AssessmentResult, settings: AssessmentSettings) {
            self.unit = UnitJSON(unit)
            indicators = unit.kind.indicators.map { indicator in
                let count = result.counts[indicator] ?? IndicatorCount(0, of: 0)
                return IndicatorJSON(
                    indicator: indicator, numerator: count.numerator, denominator: count.denominator, rate: count.rate,
                    weight: settings.weights[unit.kind]?[indicator] ?? 0, lowerIsBetter: indicator.lowerIsBetter)
            }
            rateScore = result.rateScore.map(Self.rounded)
            cardPoints = result.cardPoints
            score = result.score.map(Self.rounded)
            grade = result.grade
            stationedScore = result.stationedScore.map(Self.rounded)
            rank = result.rank
        }

        /// Scores to a hundredth, as the tables show them.
        static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
    }

    struct CardJSON: ResponseCodable {
        var id: Int64
        var period: String
        var level: AssessmentUnitKind
        var unit: Int64
        var colour: CardColour
        var points: Double
        var reason: String
        var caseID: Int64?
        var at: Date

        init(_ card: AssessmentCard) {
            id = card.id
            period = card.period
            level = card.kind
            unit = card.unitID
            colour = card.colour
            points = card.points
            reason = card.reason
            caseID = card.caseID
            at = card.at
        }
    }

    struct TableJSON: ResponseEncodable {
        var period: String
        var level: AssessmentUnitKind
        var closedAt: Date?
        var rows: [ResultJSON]
    }

    /// The level to show: the query's, or the one below the post's area.
    static func level(_ text: String?, for post: Post) throws -> AssessmentUnitKind {
        guard let text else {
            switch post.areaLevel {
            case .city, .county: return .town
            case .town: return .village
            case .village, .grid: return .grid
            }
        }
        guard let kind = AssessmentUnitKind(rawValue: text) else {
            throw DomainError.invalid(field: "level", "one of \(AssessmentUnitKind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return kind
    }

    static func period(_ text: String?, now: Date) throws -> AssessmentPeriod {
        try text.map { try AssessmentPeriod.parse($0) } ?? AssessmentPeriod.opening(at: now)
    }

    @Sendable func table(_ request: Request, context: SignedInContext) async throws -> TableJSON {
        let query = request.uri.queryParameters
        let kind = try Self.level(query.get("level"), for: context.principal.post)
        let table = try await services.assessment.table(kind, period: try Self.period(query.get("period"), now: services.clock.now), for: context.principal)
        return TableJSON(
            period: table.period.key, level: kind, closedAt: table.closed?.closedAt,
            rows: table.rows.map { ResultJSON($0.unit, $0.result, settings: table.settings) })
    }

    struct SheetJSON: ResponseEncodable {
        struct CaseLine: Codable, Sendable {
            var id: Int64
            var title: String
            var status: CaseStatus
            var createdAt: Date
            var counted: Bool
        }

        var period: String
        var closedAt: Date?
        var result: ResultJSON
        var cards: [CardJSON]
        var indicator: AssessmentIndicator?
        var cases: [CaseLine]
    }

    @Sendable func sheet(_ request: Request, context: SignedInContext) async throws -> SheetJSON {
        let query = request.uri.queryParameters
        let kind = try Self.level(query.get("level"), for: context.principal.post)
        guard let unit = query.get("unit").flatMap(Int64.init) else { throw DomainError.invalid(field: "unit", "the unit's id, a whole number") }
        let indicator = try query.get("indicator").map { text in
            guard let indicator = AssessmentIndicator(rawValue: text) else {
                throw DomainError.invalid(field: "indicator", "one of \(kind.indicators.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            }
            return indicator
        }
        let sheet = try await services.assessment.sheet(
            kind, unitID: unit, period: try Self.period(query.get("period"), now: services.clock.now), indicator: indicator, for: context.principal)
        return SheetJSON(
            period: sheet.period.key, closedAt: sheet.closed?.closedAt, result: ResultJSON(sheet.unit, sheet.result, settings: sheet.settings),
            cards: sheet.cards.map(CardJSON.init), indicator: sheet.indicator,
            cases: sheet.cases.map { .init(id: $0.id, title: $0.title, status: $0.status, createdAt: $0.createdAt, counted: $0.counted) })
    }

    /// The settings as the API writes them: keyed objects by level, grade and colour.
    struct SettingsJSON: ResponseCodable {
        var weights: [String: [String: Double]]
        var gradeMinimums: [String: Double]
        var cardPoints: [String: Double]
        var stationedTownShare: Double
        var stationedDepartmentShare: Double
        var signingHours: Double
        var dispatchHours: Double
        var verificationHours: Double

        init(_ settings: AssessmentSettings) {
            weights = Dictionary(uniqueKeysWithValues: settings.weights.map { kind, weights in
                (kind.rawValue, Dictionary(uniqueKeysWithValues: weights.map { ($0.key.rawValue, $0.value) }))
            })
            gradeMinimums = Dictionary(uniqueKeysWithValues: settings.gradeMinimums.map { ($0.key.rawValue, $0.value) })
            cardPoints = Dictionary(uniqueKeysWithValues: settings.cardPoints.map { ($0.key.rawValue, $0.value) })
            stationedTownShare = settings.stationedTownShare
            stationedDepartmentShare = settings.stationedDepartmentShare
            signingHours = settings.signingHours
            dispatchHours = settings.dispatchHours
            verificationHours = settings.verificationHours
        }

        /// The settings named, each unknown key refused by its field.
        func settings() throws -> AssessmentSettings {
            func keyed<Key: RawRepresentable & CaseIterable>(_ values: [String: Double], _ field: String) throws -> [Key: Double] where Key.RawValue == String {
                try Dictionary(uniqueKeysWithValues: values.map { key, value in
                    guard let known = Key(rawValue: key) else {
                        throw DomainError.invalid(field: "\(field).\(key)", "one of \(Key.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return (known, value)
                })
            }
            var weights: [AssessmentUnitKind: [AssessmentIndicator: Double]] = [:]
            for (level, values) in self.weights {
                guard let kind = AssessmentUnitKind(rawValue: level) else {
                    throw DomainError.invalid(field: "weights.\(level)", "one of \(AssessmentUnitKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                weights[kind] = try keyed(values, "weights.\(level)")
            }
            return AssessmentSettings(
                weights: weights, gradeMinimums: try keyed(gradeMinimums, "gradeMinimums"), cardPoints: try keyed(cardPoints, "cardPoints"),
                stationedTownShare: stationedTownShare, stationedDepartmentShare: stationedDepartmentShare, signingHours: signingHours,
                dispatchHours: dispatchHours, verificationHours: verificationHours)
        }
    }

    @Sendable func settings(_ request: Request, context: SignedInContext) async throws -> SettingsJSON {
        SettingsJSON(try await services.assessment.settings())
    }

    @Sendable func replaceSettings(_ request: Request, context: SignedInContext) async throws -> SettingsJSON {
        var request = request
        let body = try await request.decodeJSON(SettingsJSON.self, context: context)
        return SettingsJSON(try await services.assessment.save(try body.settings(), by: context.principal))
    }

    struct CloseBody: Codable {
        var period: String
    }

    struct ClosedJSON: ResponseEncodable {
        var period: String
        var closedAt: Date
    }

    @Sendable func close(_ request: Request, context: SignedInContext) async throws -> ClosedJSON {
        var request = request
        let body = try await request.decodeJSON(CloseBody.self, context: context)
        let closed = try await services.assessment.close(try AssessmentPeriod.parse(body.period), by: context.principal)
        return ClosedJSON(period: closed.period.key, closedAt: closed.closedAt)
    }

    struct CardBody: Codable {
        var period: String
        var level: String
        var unit: Int64
        var colour: String
        var reason: String
        var caseID: Int64?
    }

    @Sendable func card(_ request: Request, context: SignedInContext) async throws -> EditedResponse<CardJSON> {
        var request = request
        let body = try await request.decodeJSON(CardBody.self, context: context)
        guard let colour = CardColour(rawValue: body.colour) else { throw DomainError.invalid(field: "colour", "yellow or red, not '\(body.colour)'") }
        let card = try await services.assessment.giveCard(
            colour, to: try Self.level(body.level, for: context.principal.post), unitID: body.unit, period: try AssessmentPeriod.parse(body.period),
            reason: body.reason, caseID: body.caseID, by: context.principal)
        return EditedResponse(status: .created, response: CardJSON(card))
    }

    struct GridWorkJSON: ResponseEncodable {
        struct Worker: Codable, Sendable {
            var id: Int64
            var name: String
        }

        struct Line: Codable, Sendable {
            var area: AreaJSON
            var worker: Worker?
            var visits: Int
            var due: Int
            var householdsVisited: Int
            var households: Int
            var coverage: Double?
            var reports: Int
            var validReports: Int
            var validReportRate: Double?
            var verified: Int
            var verifiedOnTime: Int
            var onTimeVerificationRate: Double?

            init(_ line: GridWorkFigures.Line) {
                area = AreaJSON(line.area)
                worker = line.worker.map { Worker(id: $0.userID, name: $0.name) }
                visits = line.visits
                due = line.due
                householdsVisited = line.householdsVisited
                households = line.households
                coverage = line.coverage
                reports = line.reports.denominator
                validReports = line.reports.numerator
                validReportRate = line.reports.rate
                verified = line.verifiedOnTime.denominator
                verifiedOnTime = line.verifiedOnTime.numerator
                onTimeVerificationRate = line.verifiedOnTime.rate
            }
        }

        var area: AreaJSON
        var period: String
        var workers: [Line]
        var grids: [Line]
        var villages: [Line]
    }

    @Sendable func gridWork(_ request: Request, context: SignedInContext) async throws -> GridWorkJSON {
        let query = request.uri.queryParameters
        let area = try query.get("area").map { text in
            guard let id = Int64(text) else { throw DomainError.invalid(field: "area", "an area id, a whole number") }
            return id
        }
        let figures = try await services.figures.gridWork(
            in: area, period: try Self.period(query.get("period"), now: services.clock.now), for: context.principal.post)
        return GridWorkJSON(
            area: AreaJSON(figures.area), period: figures.period.key, workers: figures.workers.map(GridWorkJSON.Line.init),
            grids: figures.grids.map(GridWorkJSON.Line.init), villages: figures.villages.map(GridWorkJSON.Line.init))
    }
}
