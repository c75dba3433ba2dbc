import Foundation
import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore
import OpenAPIKit

/// The OpenAPI 3.1 description of `/api/v1`, built from OpenAPIKit's typed values so it is
/// well-formed by construction. Each route of `APIRoute` gets its operation from an exhaustive
/// switch, so a new route does not compile without one; enumerations come from the Swift enums
/// the server writes; every object is closed (`additionalProperties: false`) and lists exactly
/// the fields its `…JSON` struct writes, required when written always, so a response the tests
/// or schemathesis receive with a field the document lacks fails its check.
enum OpenAPIDocument {
    static let document = OpenAPI.Document(
        openAPIVersion: .v3_1_1,
        info: .init(
            title: "OneGrid API",
            description: "One window, one grid, one platform: intake, routing, dispatch, handling, verification, rating and archive of grassroots governance cases.",
            version: "1.0.0"),
        servers: [.init(url: URL(string: "/")!)],
        paths: paths,
        components: .init(schemas: schemas, securitySchemes: ["bearer": .b(.http(scheme: "bearer"))]),
        security: [[.component(named: "bearer"): []]])

    static let data: Data = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(document)
    }()

    static func response() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static var paths: OpenAPI.PathItem.Map {
        var paths = OpenAPI.PathItem.Map()
        for route in APIRoute.allCases {
            let path = OpenAPI.Path(rawValue: route.path)
            var item = paths[path]?.pathItemValue ?? OpenAPI.PathItem()
            item.set(operation: operation(route), for: OpenAPI.HttpMethod(rawValue: route.method.rawValue)!)
            paths[path] = .pathItem(item)
        }
        return paths
    }

    // MARK: Building blocks

    private static func ref(_ name: String, required: Bool = true, _ description: String? = nil) -> JSONSchema {
        .reference(.component(named: name), required: required, description: description)
    }

    /// A closed object: the fields given and no others.
    private static func object(_ properties: OrderedDictionary<String, JSONSchema>, required: Bool = true, description: String? = nil) -> JSONSchema {
        .object(required: required, description: description, properties: properties, additionalProperties: .a(false))
    }

    /// A dispute's party as a registration or `addParty` sends it.
    private static func partyForm(required: Bool = true, description: String? = nil) -> JSONSchema {
        object(
            [
                "kind": names(PartyKind.allCases, required: false), "role": names(PartyRole.allCases), "name": .string,
                "phone": optionalString, "idNumber": optionalString,
            ], required: required, description: description)
    }

    private static func array(_ items: JSONSchema, required: Bool = true) -> JSONSchema {
        .array(required: required, items: items)
    }

    /// A string whose values are a Swift enum's raw values.
    private static func names<T: RawRepresentable>(_ values: some Sequence<T>, required: Bool = true) -> JSONSchema
    where T.RawValue == String {
        .string(required: required, allowedValues: values.map { AnyCodable($0.rawValue) })
    }

    private static func date(_ description: String? = nil, required: Bool = true) -> JSONSchema {
        .string(format: .dateTime, required: required, description: description)
    }

    private static let id = JSONSchema.integer(minimum: (1, exclusive: false))
    private static let optionalID = JSONSchema.integer(required: false, minimum: (1, exclusive: false))
    private static let optionalString = JSONSchema.string(required: false)

    private static func json(_ schema: JSONSchema) -> OpenAPI.Content.Map {
        [.json: .content(OpenAPI.Content(schema: schema))]
    }

    private static func body(_ schema: JSONSchema) -> OpenAPI.Request {
        OpenAPI.Request(content: json(schema), required: true)
    }

    private static let errorResponse = OpenAPI.Response(description: "Refused: the error's code and message say why", content: json(ref("Error")))
    /// The database out of reach (`databaseUnavailable`) or a read past its limit (`readTimedOut`).
    private static let unavailableResponse = OpenAPI.Response(
        description: "Not now: databaseUnavailable or readTimedOut; nothing changed, try again after Retry-After seconds",
        headers: ["Retry-After": .header(OpenAPI.Header(schema: .integer(minimum: (1, exclusive: false)), description: "Seconds to wait"))],
        content: json(ref("Error")))
    private static let storageFullResponse = OpenAPI.Response(
        description: "storageFull: the disk or database is full; nothing was written, reads still work", content: json(ref("Error")))

    private static func query(_ name: String, _ description: String, _ schema: JSONSchema = .string) -> Either<OpenAPI.Reference<OpenAPI.Parameter>, OpenAPI.Parameter> {
        .parameter(.query(name: name, required: false, schema: schema, description: description))
    }

    private static let idParameter: Either<OpenAPI.Reference<OpenAPI.Parameter>, OpenAPI.Parameter> =
        .parameter(.path(name: "id", schema: .integer(minimum: (1, exclusive: false))))

    // MARK: Operations

    /// What one route takes and answers. Every route that needs a token may also answer 401 (no
    /// or unknown token), 403 (the post may not), 404, 409, 413 and 422; one that reads a body
    /// or a query also 400.
    private static func operation(_ route: APIRoute) -> OpenAPI.Operation {
        var summary: String
        var parameters: OpenAPI.Parameter.Array = []
        var request: OpenAPI.Request?
        var responses: OpenAPI.Response.Map = [:]
        func ok(_ status: OpenAPI.Response.StatusCode = 200, _ schema: JSONSchema, _ description: String = "OK") {
            responses[status] = .response(OpenAPI.Response(description: description, content: json(schema)))
        }
        /// A figures answer: JSON, or with `format` a download of its table.
        func figures(_ schema: JSONSchema, table: String) {
            parameters += [
                query("format", "Absent: JSON. csv: \(table) as a spreadsheet (UTF-8 with a byte order mark, CRLF, a header row); ndjson: the same rows one JSON object a line", names(ExportFormat.allCases)),
                .parameter(.header(name: "Accept-Language", required: false, schema: .string, description: "The CSV header's language: zh-CN (default) or en")),
            ]
            var content = json(schema)
            content[.other("text/csv")] = .content(OpenAPI.Content(schema: .string))
            content[.other("application/x-ndjson")] = .content(OpenAPI.Content(schema: .string))
            responses[200] = .response(OpenAPI.Response(description: "OK; with format, Content-Disposition names the file figures-<name>-YYYYMMDD.csv or .ndjson", content: content))
        }
        switch route {
        case .openAPI:
            summary = "This document"
            ok(200, object([
                "openapi": .string(allowedValues: AnyCodable(OpenAPI.Document.Version.v3_1_1.rawValue)),
                "info": object(["title": .string, "description": .string, "version": .string]),
                "servers": array(object(["url": .string])),
                // Paths and components are described by the OpenAPI 3.1 specification itself.
                "paths": .object, "components": .object,
                "security": array(.object),
            ]), "The OpenAPI 3.1 document")
        case .session:
            summary = "Log in with username and password; returns a bearer token"
            request = body(ref("LogIn"))
            ok(201, ref("Session"), "Signed in")
        case .sessionEnd:
            summary = "Log out: the token stops working"
            responses[status: 204] = .response(OpenAPI.Response(description: "Signed out"))
        case .me:
            summary = "The signed-in user and post"
            ok(200, object(["user": ref("User"), "post": ref("Post")]))
        case .tokens:
            summary = "Create a long-lived API token for an integration, acting as the caller's post"
            request = body(object(["label": .string(minLength: 1, maxLength: 100)]))
            ok(201, object(["token": .string, "label": .string, "post": ref("Post")]), "Created; the token is shown once")
        case .areas:
            summary = "The post's own area, or the children of `parent` within it"
            parameters = [query("parent", "An area id", .integer)]
            ok(200, object(["areas": array(ref("Area"))]))
        case .area:
            summary = "One area with its lineage and departments"
            parameters = [idParameter]
            ok(200, object([
                "area": ref("Area"), "lineage": array(ref("Area")),
                "boundary": object(["ring": array(ref("GeoPoint"))], required: false, description: "A grid's boundary ring"),
                "departments": array(ref("Department")),
            ]))
        case .categories:
            summary = "The category tree with each category's level, department and time limits"
            ok(200, object(["categories": array(ref("Category"))]))
        case .categoryProposals:
            summary = "The categories a report's text most likely belongs to, best first, from the model `onegrid classifier train` stored (empty when none is)"
            parameters = [
                .parameter(.query(name: "text", required: true, schema: .string(maxLength: 5000))),
                query("limit", "How many, 1–20 (default 3)", .integer(maximum: (20, exclusive: false), minimum: (1, exclusive: false))),
            ]
            ok(200, object([
                "proposals": array(object([
                    "category": ref("Category"), "confidence": .number(maximum: (1, exclusive: false), minimum: (0, exclusive: false)),
                ])),
            ]))
        case .departments:
            summary = "Departments serving the post's area"
            ok(200, object(["departments": array(ref("Department"))]))
        case .locate:
            summary = "The grid containing a point and, given a category, where a case there would be handled"
            parameters = [
                .parameter(.query(name: "lat", required: true, schema: .number(maximum: (90, exclusive: false), minimum: (-90, exclusive: false)))),
                .parameter(.query(name: "lng", required: true, schema: .number(maximum: (180, exclusive: false), minimum: (-180, exclusive: false)))),
                query("category", "A category code"),
            ]
            ok(200, object([
                "grid": ref("Area"), "lineage": array(ref("Area")),
                "handlingLevel": names(AdminLevel.allCases, required: false), "handlingArea": ref("Area", required: false),
                "suggestedDepartment": ref("Department", required: false),
            ]))
        case .cases:
            summary = "Cases the post may see, newest or most urgent first, in cursor pages"
            parameters = caseFilters + [
                query("cursor", "nextCursor of the previous page, in the same order"),
                query("limit", "Page size, 1–200 (default 20)", .integer(maximum: (200, exclusive: false), minimum: (1, exclusive: false))),
            ]
            ok(200, object(["cases": array(ref("Case")), "nextCursor": .string(required: false, description: "Absent on the last page")]))
        case .caseExport:
            summary = "Every case the list's filters match (no pages), as a CSV spreadsheet or NDJSON, streamed; no personal data"
            parameters = caseFilters + [
                query("format", "csv (default): UTF-8 with a byte order mark, CRLF, a header row; ndjson: one case a line, as the list shows it without `reporter`", names(ExportFormat.allCases)),
                .parameter(.header(
                    name: "Accept-Language", required: false, schema: .string,
                    description: "The CSV header's language: zh-CN (default) or en")),
            ]
            responses[200] = .response(OpenAPI.Response(
                description: "The cases, sent as they are read; Content-Disposition names the file cases-YYYYMMDD.csv or .ndjson",
                content: [
                    .other("text/csv"): .content(OpenAPI.Content(schema: .string)),
                    .other("application/x-ndjson"): .content(OpenAPI.Content(schema: .string)),
                ]))
        case .caseCreate:
            summary = "Report a case (any channel); routed to its grid, level and department"
            parameters = [
                .parameter(.header(
                    name: "Idempotency-Key", required: false, schema: .string(maxLength: 200),
                    description: "A retry with the same key returns the first case")),
            ]
            request = body(ref("Intake"))
            ok(201, ref("Case"), "Created")
            ok(200, ref("Case"), "A retry of an earlier request with the same Idempotency-Key: the first case")
        case .caseDetail:
            summary = "One case, with the actions this post may take now"
            parameters = [idParameter]
            ok(200, ref("Case"))
        case .caseActions:
            summary = "Take one step of the case flow"
            parameters = [
                idParameter,
                .parameter(.header(
                    name: "Idempotency-Key", required: false, schema: .string(maxLength: 200),
                    description: "A retry with the same key takes no second step and returns the case as it is")),
            ]
            request = body(ref("Action"))
            ok(200, ref("Case"))
        case .caseTimeline:
            summary = "The case's append-only, hash-chained timeline"
            parameters = [idParameter]
            ok(200, object(["caseID": id, "events": array(ref("TimelineEvent"))]))
        case .caseReveal:
            summary = "Show the reporter's phone or ID number unmasked (recorded)"
            parameters = [idParameter]
            request = body(object(["field": .string(allowedValues: "phone", "idNumber")]))
            ok(200, object(["caseID": id, "field": .string(allowedValues: "phone", "idNumber"), "value": .string(required: false, description: "Absent when the reporter gave none")]))
        case .caseDisclosures:
            summary = "Who saw the reporter's (or a dispute party's) personal data, and when"
            parameters = [idParameter]
            ok(200, object(["disclosures": array(object([
                "caseID": id, "userID": id, "postID": id,
                "field": .string(
                    description: "The reporter's phone or idNumber, or a dispute party's as party<number>.phone", pattern: "^(party[1-9][0-9]*\\.)?(phone|idNumber)$"),
                "at": date(),
            ]))]))
        case .caseDuplicates:
            summary = "Open cases that may report the same matter (same grid and category, within 7 days, similar text), most alike first: candidates for merge"
            parameters = [idParameter]
            ok(200, object([
                "caseID": id,
                "candidates": array(object(["similarity": .number(maximum: (1, exclusive: false), minimum: (0, exclusive: false)), "case": ref("Case")])),
            ]))
        case .calendar:
            summary = "The working calendar file deadlines are counted on (docs/calendar.md)"
            responses[status: 200] = .response(OpenAPI.Response(
                description: "The stored file, or the default calendar's", content: [.txt: .content(OpenAPI.Content(schema: .string))]))
        case .calendarReplace:
            summary = "Replace the working calendar (administrators); applies to deadlines set from now on"
            request = OpenAPI.Request(content: [.txt: .content(OpenAPI.Content(schema: .string(examples: [
                "timezone Asia/Shanghai\nholiday 2026-10-01 2026-10-07 国庆节\nworkday 2026-09-20 国庆调休\n",
            ])))], required: true)
            ok(200, ref("CalendarSummary"))
        case .deadlineSettings:
            summary = "The deadline settings in force: the share of a limit after which a clock turns yellow"
            ok(200, ref("DeadlineSettings"))
        case .deadlineSettingsReplace:
            summary = "Change the deadline settings (administrators); applies to clocks started from now on"
            request = body(ref("DeadlineSettings"))
            ok(200, ref("DeadlineSettings"))
        case .deadlineFigures:
            summary = "Deadline figures of the post's area (or department), one row per area below it or per department"
            let grouping = JSONSchema.string(allowedValues: "area", "department")
            parameters = [
                query("groupBy", "area: one row per area one level below the post's; department: one row per assigned department (default area)", grouping),
                query("from", "Reported on or after this day (a date like 2026-05-01, or the midnight that starts it in Asia/Shanghai)"),
                query("to", "Reported before this day (a date, or the midnight that starts it)"),
            ]
            figures(object([
                "groupBy": grouping, "from": date(required: false), "to": date(required: false),
                "now": date("The moment overdue was judged at"), "rows": array(ref("DeadlineFigures")), "total": ref("DeadlineFigures"),
            ]), table: "the rows and their total (`\"total\": true` in NDJSON)")
        case .figureOverview:
            summary = "The command room's figures of an area: the counts and rates of a period with the same months a year before, this month and today, open and overdue now, one row per area one level down, a 12-month trend, every grid for the map and the worst-overdue cases"
            let month = JSONSchema.string(pattern: "^[0-9]{4}-[0-9]{2}$", examples: ["2026-11"])
            parameters = [
                query("area", "An area id within the post's area (default: the post's own)", .integer(minimum: (1, exclusive: false))),
                query("from", "First month, YYYY-MM (default: to, or this month)", month),
                query("to", "Last month, YYYY-MM, included (default: from, or this month); at most 60 months after from", month),
            ]
            let overdue = object([
                "id": id, "title": .string, "status": names(CaseStatus.allCases), "grid": ref("Area", required: false),
                "dueAt": date(), "overdueHours": .number(description: "Past due by, in hours, to a tenth"),
            ])
            figures(object([
                "from": month, "to": month, "now": date("The moment open and overdue were counted at"),
                "lineage": array(ref("Area")), "figures": ref("AreaFigures"),
                "thisMonth": ref("FigureTotals"), "thisMonthLastYear": ref("FigureTotals"),
                "receivedToday": .integer(description: "Reported since midnight, city time"),
                "receivedTodayLastYear": .integer(description: "Reported on the same day a year before, up to the same time of day"),
                "open": .integer(description: "Open now"),
                "openLastYear": .integer(description: "Open at the end of the same month a year before"),
                "children": array(ref("AreaFigures")),
                "trend": array(object(["month": month, "totals": ref("FigureTotals")])),
                "grids": array(object(["area": ref("Area"), "open": .integer, "overdue": .integer])),
                "worstOverdue": array(overdue),
            ]), table: "the area and the areas one level down, a row each (`figures` and `children`)")
        case .liveCases:
            summary = "Server-sent events: a `cases` event with the ids of the area's cases that changed (none after a deadline sweep, which may touch any), as they change on any server sharing the database"
            parameters = [query("area", "An area id within the post's area (default: the post's own)", .integer(minimum: (1, exclusive: false)))]
            responses[200] = .response(OpenAPI.Response(
                description: "An endless event stream", content: [.other("text/event-stream"): .content(OpenAPI.Content(schema: .string))]))
        case .inbox:
            summary = "The signed-in user's notifications (urges, supervisions, assignments, escalations, reviews, merges), newest first"
            parameters = [
                query("unread", "Only unread ones", .boolean),
                query("cursor", "nextCursor of the previous page"),
                query("limit", "Page size, 1–200 (default 50)", .integer(maximum: (200, exclusive: false), minimum: (1, exclusive: false))),
            ]
            ok(200, object([
                "notifications": array(ref("Notification")), "unread": .integer(minimum: (0, exclusive: false)),
                "nextCursor": .string(required: false, description: "Absent on the last page"),
            ]))
        case .inboxRead:
            summary = "Mark one of the user's notifications read"
            parameters = [idParameter]
            ok(200, object(["id": id, "read": .boolean]))
        case .webhooks:
            summary = "The registered webhooks (administrators), without their secrets"
            ok(200, object(["webhooks": array(ref("Webhook"))]))
        case .webhookCreate:
            summary = "Register an outgoing webhook (administrators): each delivery is POSTed with X-OneGrid-Event, X-OneGrid-Delivery and X-OneGrid-Signature: sha256=<hex HMAC-SHA256 of the body keyed by the secret>, and retried with back-off until a 2xx"
            request = body(ref("WebhookRegistration"))
            ok(201, ref("Webhook"), "Created; the secret is never shown again")
        case .webhookDeliveries:
            summary = "A webhook's recent deliveries, newest first (administrators)"
            parameters = [idParameter]
            ok(200, object(["webhookID": id, "deliveries": array(ref("WebhookDelivery"))]))
        case .open311Keys:
            summary = "The Open311 keys issued, revoked ones too, without the keys themselves (administrators)"
            ok(200, object(["keys": array(ref("Open311Key"))]))
        case .open311KeyIssue:
            summary = "Issue an Open311 key for a post that reports cases (its role gives the channel), over its area or one inside it, under a rate of requests per minute (administrators)"
            request = body(ref("Open311KeyIssue"))
            ok(201, ref("Open311Key"), "Issued; apiKey is shown in this answer only")
        case .open311KeyRevoke:
            summary = "Revoke an Open311 key from its next request on (administrators)"
            parameters = [idParameter]
            ok(200, ref("Open311Key"))
        // Petitions (信访工作条例).
        case .petitionDesk:
            summary = "The petition desk: open petitions the post's unit registered or holds, oldest first, each with its running limits"
            ok(200, object(["petitions": array(ref("PetitionView"))]))
        case .petitionRegister:
            summary = "Register the petition record of a petition case; answers the earlier petitions by the same people on a matter that reads alike (repeat candidates, linked only when confirmed)"
            request = body(ref("PetitionRegistration"))
            ok(201, object(["petition": ref("Petition"), "candidates": array(ref("PetitionRepeatCandidate"))]), "Registered")
        case .petitionMisses:
            summary = "How many petition limits each unit missed, by limit (信访工作条例 Art. 44)"
            ok(200, object(["counts": array(object([
                "unit": petitionUnit, "limit": names(PetitionLimit.allCases), "article": .string, "count": .integer(minimum: (1, exclusive: false)),
            ]))]))
        case .petitionLimits:
            summary = "The petition limits in force"
            ok(200, object(["limits": ref("PetitionLimits")]))
        case .petitionLimitsReplace:
            summary = "Change the petition limits (administrators); applies to steps taken from now on"
            request = body(object(["limits": ref("PetitionLimits")]))
            ok(200, object(["limits": ref("PetitionLimits")]))
        case .petitionDetail:
            summary = "One petition with its running limits and its log"
            parameters = [idParameter]
            ok(200, ref("PetitionView"))
        case .petitionStep:
            summary = "Take one step of the petition procedure for the post's unit; a refusal names the article of the 信访工作条例"
            parameters = [idParameter]
            request = body(ref("PetitionStep"))
            ok(200, ref("PetitionView"))
        case .petitionRepeats:
            summary = "Earlier petitions by the same people (ID number) on a matter that reads alike, most alike first"
            parameters = [idParameter]
            ok(200, object(["caseID": id, "candidates": array(ref("PetitionRepeatCandidate"))]))
        case .petitionRepeatLink:
            summary = "Confirm that the petition repeats an earlier one; refused across people or matters"
            parameters = [idParameter]
            request = body(object(["earlierCaseID": id]))
            ok(200, ref("PetitionView"))
        // Notices (通知公告).
        case .notices:
            summary = "The notices that reached the post, newest first, each with the post's receipt, and how many are unread"
            ok(200, object([
                "notices": array(object(["notice": ref("Notice"), "receipt": ref("NoticeReceipt")])),
                "unread": .integer(minimum: (0, exclusive: false)),
            ]))
        case .noticePublish:
            summary = "Publish a notice from the post's centre to areas below it (all below it when none are named); every post there except the sender's receives it"
            request = body(object([
                "title": .string(description: "1–\(NoticeDraft.titleLimit) characters"),
                "body": .string(description: "1–\(NoticeDraft.bodyLimit) characters"),
                "audienceAreaIDs": array(id, required: false),
                "response": names(NoticeResponse.allCases, required: false),
                "dueAt": date("Required when an acknowledgement or a reply is asked for; after now", required: false),
            ]))
            ok(201, object(["notice": ref("Notice"), "recipients": .integer(minimum: (1, exclusive: false))]), "Published")
        case .noticesSent:
            summary = "The notices the post's centre sent, newest first, each with how many posts read and answered it and how many answers are late"
            ok(200, object(["notices": array(object(["notice": ref("Notice"), "tally": ref("NoticeTally")]))]))
        case .noticeDetail:
            summary = "One notice: marked read when it reached the post; with every receipt when the post is of the sending centre or above it"
            parameters = [idParameter]
            ok(200, object([
                "notice": ref("Notice"), "receipt": ref("NoticeReceipt", required: false),
                "tracking": object([
                    "tally": ref("NoticeTally"),
                    "receipts": array(object([
                        "postID": id, "userID": id, "userName": .string, "areaID": id, "role": names(Role.allCases),
                        "readAt": date(required: false), "answeredAt": date(required: false), "reply": optionalString,
                    ])),
                ], required: false),
            ]))
        case .noticeAnswer:
            summary = "Acknowledge a notice, or reply to it, as it asks; once"
            parameters = [idParameter]
            request = body(object(["reply": .string(required: false, description: "Required when the notice asks for a reply; 1–\(NoticeReceipt.replyLimit) characters")]))
            ok(200, object(["receipt": ref("NoticeReceipt")]))
        // Mediation (人民调解法); `{id}` is the dispute's case.
        case .disputeDesk:
            summary = "The mediator's desk: the disputes of their bodies, sessions held this week, follow-ups due within a week"
            ok(200, object([
                "bodies": array(ref("MediationBody")), "disputes": array(ref("Dispute")),
                "sessionsThisWeek": array(object(["caseID": id, "session": ref("MediationSession")])),
                "followUpsDue": array(object(["caseID": id, "due": date()])),
            ]))
        case .disputeDetail:
            summary = "A dispute case's mediation file, parties masked, with the steps this post may take now"
            parameters = [idParameter]
            ok(200, ref("Dispute"))
        case .disputeRegister:
            summary = "Open the mediation file of a dispute case (dispatchers whose centre holds it)"
            parameters = [idParameter]
            request = body(ref("DisputeForm"))
            ok(201, ref("Dispute"), "Created")
        case .disputeSteps:
            summary = "Take one mediation step; each is recorded on the case's timeline as a mediate event"
            parameters = [idParameter]
            request = body(ref("MediationStep"))
            ok(200, ref("Dispute"))
        case .disputeReveal:
            summary = "Show a party's phone or ID number unmasked (recorded among the case's disclosures)"
            parameters = [idParameter]
            request = body(object(["party": .integer(minimum: (1, exclusive: false)), "field": .string(allowedValues: "phone", "idNumber")]))
            ok(200, object([
                "caseID": id, "party": .integer, "field": .string(allowedValues: "phone", "idNumber"),
                "value": .string(required: false, description: "Absent when the party gave none"),
            ]))
        case .disputeBodies:
            summary = "The mediation bodies that may take the dispute: those on its place's path"
            parameters = [idParameter]
            ok(200, object(["bodies": array(ref("MediationBody"))]))
        // The administrator's mediation bodies and thresholds.
        case .mediationBodies:
            summary = "The mediation bodies sitting at an area, retired ones too, by name (administrators)"
            parameters = [.parameter(.query(name: "areaID", required: true, schema: .integer(minimum: (1, exclusive: false)), description: "The area"))]
            ok(200, object(["bodies": array(ref("MediationBody"))]))
        case .mediationBodyCreate:
            summary = "Set up a mediation body at an area, without members; it works at the area's level (administrators)"
            request = body(object([
                "name": .string(description: "1–200 characters"), "kind": names(MediationBodyKind.allCases),
                "areaID": .integer(description: "A village or above; a village committee at a village, a town committee at a town", minimum: (1, exclusive: false)),
            ]))
            ok(201, ref("MediationBody"), "Created")
        case .mediationBody:
            summary = "One mediation body with its members (administrators)"
            parameters = [idParameter]
            ok(200, ref("MediationBody"))
        case .mediationBodyRename:
            summary = "Rename a mediation body not retired (administrators)"
            parameters = [idParameter]
            request = body(object(["name": .string(description: "1–200 characters")]))
            ok(200, ref("MediationBody"))
        case .mediationBodyRetire:
            summary = "Retire a mediation body: it keeps its disputes but is offered for no new one (administrators)"
            parameters = [idParameter]
            ok(200, ref("MediationBody"))
        case .mediationBodyMemberAdd:
            summary = "Add a user holding a mediator post to a body's members (administrators)"
            parameters = [idParameter]
            request = body(object(["username": .string]))
            ok(200, ref("MediationBody"))
        case .mediationBodyMemberRemove:
            summary = "Remove a member from a body (administrators)"
            parameters = [
                idParameter,
                .parameter(.query(name: "userID", required: true, schema: .integer(minimum: (1, exclusive: false)), description: "The member's user id")),
            ]
            ok(200, ref("MediationBody"))
        case .majorDisputeRule:
            summary = "The thresholds that send a dispute to the centre's chief mediator office, the defaults where none are stored (administrators)"
            ok(200, ref("MajorDisputeRule"))
        case .majorDisputeRuleReplace:
            summary = "Change the major-dispute thresholds (administrators); disputes registered or stepped from now on are judged by them"
            request = body(ref("MajorDisputeRule"))
            ok(200, ref("MajorDisputeRule"))
        // The 12345 hotline (docs/hotline.md).
        case .hotlineTicketCreate:
            summary = "A 12345 ticket: created as a case once per ticket number (a retry, with any Idempotency-Key or none, answers the same case with 200), or, with diversion, answered 422 diverted with the reason (接诉即办工作条例 Art. 11) and recorded; a ticket diverted before is answered so again"
            request = body(ref("HotlineTicketIn"))
            ok(201, ref("HotlineTicket"), "Created")
            ok(200, ref("HotlineTicket"), "The case this ticket became before")
        case .hotlineTicket:
            summary = "A ticket read back by its number: its case (status, closed time), the result fed back, the caller's rating and words; or its diversion"
            parameters = [.parameter(.query(name: "ticket", required: true, schema: .string(maxLength: 64), description: "The hotline's ticket number"))]
            ok(200, ref("HotlineTicket"))
        // The data brain's feeds (docs/hotline.md).
        case .feedPoliceIncidents, .feedPublicOpinion:
            let what = route == .feedPoliceIncidents ? "110 police incident summaries (警情)" : "public-opinion items (舆情)"
            summary = "Feed \(what) in a batch: NDJSON (application/x-ndjson, one item a line), a JSON array or one object; stored once per item id, placed on the grid, counted per area and day; answered per line"
            request = OpenAPI.Request(
                content: [
                    .json: .content(OpenAPI.Content(schema: array(ref(route == .feedPoliceIncidents ? "PoliceIncident" : "OpinionItem")))),
                    .other("application/x-ndjson"): .content(OpenAPI.Content(schema: .string(description: "One item a line"))),
                ], required: true)
            ok(200, ref("FeedBatch"))
        case .feedItems:
            summary = "Feed items placed in the post's area that happened in the span, newest first"
            parameters = [
                query("kind", "One kind only", names(FeedKind.allCases)),
                query("from", "Happened at or after (date or ISO 8601 time; default 30 days before to)"),
                query("to", "Happened before (date or ISO 8601 time; default now)"),
                query("limit", "At most, 1–1000 (default 100)", .integer(maximum: (1_000, exclusive: false), minimum: (1, exclusive: false))),
            ]
            ok(200, object(["items": array(ref("FeedItem"))]))
        case .feedCounts:
            summary = "Feed items per kind and day in the post's area or one inside it, days in the city's time zone: the risk picture's input"
            let day = JSONSchema.string(pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", examples: ["2026-11-30"])
            parameters = [
                query("area", "An area id within the post's area (default: the post's own)", .integer(minimum: (1, exclusive: false))),
                query("from", "First day, YYYY-MM-DD (default: to)", day),
                query("to", "Last day, included (default: today)", day),
            ]
            ok(200, object([
                "area": ref("Area"), "from": day, "to": day,
                "counts": array(object(["day": day, "kind": names(FeedKind.allCases), "count": .integer(minimum: (1, exclusive: false))])),
            ]))
        case .feedItemLink:
            summary = "Link a feed item of the dispatcher's area to a case they can see"
            parameters = [idParameter]
            request = body(object(["caseID": id]))
            ok(200, ref("FeedItem"))
        // The grid's base data and visits.
        case .residents:
            summary = "Residents the post may see (its area; sensitive kinds only if granted), phone and ID number masked, in id order: a grid's, a household's, or found by name or ID number"
            let positive = JSONSchema.integer(minimum: (1, exclusive: false))
            parameters = [
                query("grid", "One grid's people", positive), query("household", "One household's people", positive),
                query("q", "A name, or an ID number or its start (up to 50 characters)", .string(maxLength: 50)),
                query("after", "The `next` of the page before", positive),
                query("limit", "At most, 1–1000 (default 50)", .integer(maximum: (1_000, exclusive: false), minimum: (1, exclusive: false))),
            ]
            ok(200, object(["residents": array(ref("Resident")), "next": .integer(required: false, description: "`after` for the next page, when this one was full")]))
        case .resident:
            summary = "One person's file: them and their household masked, the household's people, the cases about them or their household, and the household's visits"
            parameters = [idParameter]
            ok(200, object([
                "resident": ref("Resident"), "household": ref("Household"), "members": array(ref("Resident")),
                "cases": array(object(["id": id, "number": .string, "title": .string, "status": names(CaseStatus.allCases), "reportedAt": date()])),
                "visits": array(ref("Visit")),
            ]))
        case .residentReveal:
            summary = "Show a resident's phone or ID number unmasked, with its purpose (recorded on the administrators' log)"
            parameters = [idParameter]
            request = body(object(["field": .string(allowedValues: "phone", "idNumber"), "purpose": .string(required: false, maxLength: 200)]))
            ok(200, object(["residentID": id, "field": .string(allowedValues: "phone", "idNumber"), "value": .string(required: false, description: "Absent when none is recorded")]))
        case .visitsDue:
            summary = "What the grid worker should visit by the end of this week (Monday to Sunday), the overdue first"
            ok(200, object(["due": array(object([
                "subject": names(Visits.visited), "subjectID": id, "gridID": id, "label": .string, "dueAt": date(),
                "lastVisitAt": date(required: false), "overdue": .boolean,
            ]))]))
        case .visitLog:
            summary = "Log a visit (走访) to a household, place or organisation of the grid worker's grid; with `case`, what was found becomes a case in the same call. Idempotent on the Idempotency-Key: sent again, the same visit and case"
            parameters = [
                .parameter(.header(
                    name: "Idempotency-Key", required: false, schema: .string(maxLength: 200),
                    description: "A retry with the same key logs no second visit and answers the first")),
            ]
            request = body(object([
                "subject": names(Visits.visited), "subjectID": id, "visitedAt": date("When, if not now", required: false),
                "location": ref("GeoPoint", required: false, "The phone's position, checked against the grid"),
                "whom": .string(minLength: 1, maxLength: 100), "findings": .string(minLength: 1, maxLength: 2000),
                "evidence": .array(required: false, items: .string(description: "At most 9, each an uploaded attachment's evidence line")),
                "case": object(["title": .string(minLength: 1, maxLength: 200), "categoryCode": optionalString, "categoryID": optionalID], required: false),
            ]))
            ok(201, object(["visit": ref("Visit"), "case": object(["id": id, "number": .string], required: false)]), "Logged")
        // Dispute screening (排查) and the procedures' figures.
        case .screeningRounds:
            summary = "The screening rounds of an area, newest first (at most \(ScreeningRounds.listSize)), and every area under it that keeps rounds against the cadence, most overdue first"
            parameters = [query("area", "An area id within the post's area (default: the post's own)", .integer(minimum: (1, exclusive: false)))]
            let due = object([
                "area": ref("Area"), "lastDoneAt": date("Its last round; absent when never screened", required: false),
                "dueAt": date("When the next round is due; absent when never screened", required: false),
                "colour": names(ClockColour.allCases),
            ])
            ok(200, object([
                "area": ref("Area"), "cadence": ref("ScreeningCadence"), "rounds": array(ref("ScreeningRound")), "due": array(due),
                "overdue": .integer(description: "Areas whose round is overdue or that were never screened", minimum: (0, exclusive: false)),
            ]))
        case .screeningRoundRecord:
            summary = "Record the post's screening round of its own area now: a grid worker's of the grid, a dispatcher's of a village, town or city"
            request = body(object([
                "checked": .string(description: "What the round checked, 1–2,000 characters"),
                "findings": array(.string(maxLength: 1_000), required: false),
            ]))
            ok(201, ref("ScreeningRound"), "Created")
        case .screeningRound:
            summary = "One screening round, to a post whose area covers it"
            parameters = [idParameter]
            ok(200, ref("ScreeningRound"))
        case .screeningRoundDispute:
            summary = "Open a risk found on a round as a dispute case with its mediation file, in one step (dispatchers whose centre will hold it); the finding then names the case"
            parameters = [idParameter]
            request = body(object([
                "finding": .integer(description: "The number of the risk on the round", minimum: (1, exclusive: false)),
                "categoryCode": .string(description: "A dispute category's code"),
                "gridID": .integer(required: false, description: "Where the risk lies; required unless the round was a grid's", minimum: (1, exclusive: false)),
                "dispute": ref("DisputeForm"),
            ]))
            ok(201, ref("Dispute"), "Created")
        case .screeningCadence:
            summary = "The days between screening rounds per level, the seed's where none are stored (administrators)"
            ok(200, ref("ScreeningCadence"))
        case .screeningCadenceReplace:
            summary = "Change the days between screening rounds per level (administrators); what is overdue is judged by them from now on"
            request = body(ref("ScreeningCadence"))
            ok(200, ref("ScreeningCadence"))
        case .figureProcedures:
            summary = "Mediation's and the petitions' figures of an area over whole months, with the same months a year before: disputes accepted, concluded, agreed and the success rate by body, type and level; follow-ups and agreements carried out; judicial confirmations; petitions by form and class, collective, repeat and cross-level; replies in time; missed limits by unit"
            let month = JSONSchema.string(pattern: "^[0-9]{4}-[0-9]{2}$", examples: ["2026-11"])
            parameters = [
                query("area", "An area id within the post's area (default: the post's own)", .integer(minimum: (1, exclusive: false))),
                query("from", "First month, YYYY-MM (default: to, or this month)", month),
                query("to", "Last month, YYYY-MM, included (default: from, or this month); at most 60 months after from", month),
            ]
            ok(200, object([
                "area": ref("Area"), "from": month, "to": month, "period": ref("ProcedureFigures"), "lastYear": ref("ProcedureFigures"),
            ]))
        // Assessment (考核, DOMAIN.md §7).
        case .assessment:
            summary = "A level's assessment table for a period: every unit of the post's area scored from the case record, ranked and graded; a closed period's stored results"
            parameters = [assessmentLevel, assessmentPeriod]
            ok(200, object([
                "period": .string, "level": names(AssessmentUnitKind.allCases),
                "closedAt": date("When the period was closed; its results never change after", required: false),
                "rows": array(ref("AssessmentResult")),
            ]))
        case .assessmentSheet:
            summary = "One unit's score sheet: each indicator's numerator and denominator, its cards, and with an indicator the cases of its denominator, each marked whether it counted"
            parameters = [
                assessmentLevel, assessmentPeriod,
                .parameter(.query(name: "unit", required: true, schema: .integer(minimum: (1, exclusive: false)), description: "The unit's id: an area, a department or a user")),
                query("indicator", "List the cases behind this indicator", names(AssessmentIndicator.allCases)),
            ]
            ok(200, object([
                "period": .string, "closedAt": date(required: false), "result": ref("AssessmentResult"), "cards": array(ref("AssessmentCard")),
                "indicator": names(AssessmentIndicator.allCases, required: false),
                "cases": array(object([
                    "id": id, "title": .string, "status": names(CaseStatus.allCases), "createdAt": date(),
                    "counted": .boolean(description: "Counted in the numerator"),
                ])),
            ]))
        case .assessmentSettings:
            summary = "The assessment settings in force: weights per level, grade bands, card points, stationed agencies' shares, on-time hours"
            ok(200, ref("AssessmentSettings"))
        case .assessmentSettingsReplace:
            summary = "Change the assessment settings (administrators); open periods are scored by them at once, closed ones keep theirs"
            request = body(ref("AssessmentSettings"))
            ok(200, ref("AssessmentSettings"))
        case .assessmentClose:
            summary = "Close an ended period (administrators): its results are stored and never change; closing again is refused (409)"
            request = body(object(["period": assessmentPeriodText]))
            ok(200, object(["period": .string, "closedAt": date()]))
        case .assessmentCards:
            summary = "Give a unit a yellow or red card for a period (leaders), with a reason: it deducts the configured points; refused once the period is closed"
            request = body(object([
                "period": assessmentPeriodText, "level": names(AssessmentUnitKind.allCases), "unit": id, "colour": names(CardColour.allCases),
                "reason": .string(minLength: 1, maxLength: 500), "caseID": optionalID,
            ]))
            ok(201, ref("AssessmentCard"), "Given")
        case .gridWorkFigures:
            summary = "Grid workers' figures for a period in an area: visits done and due, households covered, reports made and valid, verifications on time; per worker, grid and village"
            parameters = [
                query("area", "An area id within the post's area (default: the post's own)", .integer(minimum: (1, exclusive: false))),
                assessmentPeriod,
            ]
            let line = object([
                "area": ref("Area"), "worker": object(["id": id, "name": .string], required: false), "visits": .integer,
                "due": .integer(description: "Households, places and organisations due a visit by the period's end and not visited since"),
                "householdsVisited": .integer, "households": .integer, "coverage": .number(required: false, description: "householdsVisited / households"),
                "reports": .integer, "validReports": .integer, "validReportRate": .number(required: false),
                "verified": .integer, "verifiedOnTime": .integer, "onTimeVerificationRate": .number(required: false),
            ])
            ok(200, object(["area": ref("Area"), "period": .string, "workers": array(line), "grids": array(line), "villages": array(line)]))
        // The risk picture (四情三色, DOMAIN.md §8).
        case .riskPicture:
            summary = "An area's risk colour, its areas' one level down (green where never coloured) and its red and yellow disputes and petitions with their reasons, owners and follow-ups, red first"
            parameters = [query("area", "An area id within the post's area (default: the post's own)", .integer(minimum: (1, exclusive: false)))]
            ok(200, object([
                "area": ref("Area"), "colour": ref("RiskStanding", required: false, "Absent while the area was never coloured"),
                "areas": array(ref("RiskStanding")), "matters": array(ref("RiskStanding")),
            ]))
        case .riskMatter:
            summary = "A matter's risk colour as it stands and every change of it, oldest first, each with its reasons, owner and follow-up"
            parameters = [
                idParameter,
                .parameter(.query(name: "kind", required: true, schema: names(RiskMatterKind.allCases), description: "What the id is of: an area, a dispute's or petition's case, or a household of the base data")),
            ]
            ok(200, object(["standing": ref("RiskStanding"), "history": array(ref("RiskColourChange"))]))
        case .riskReport:
            summary = "A county's weekly stability report: its colour and its towns' at the week's end, the week's changes of colour and why, the red and yellow matters with owners and follow-ups, the four situations against their baselines, and follow-ups done and overdue"
            parameters = [
                idParameter,
                query("week", "An ISO 8601 week that has closed, YYYY-Www (default: the last whole week, city time)", .string(pattern: "^[0-9]{4}-W[0-9]{2}$", examples: ["2026-W48"])),
            ]
            ok(200, object([
                "county": ref("Area"), "week": .string(pattern: "^[0-9]{4}-W[0-9]{2}$"), "from": date("The week's first moment, Monday 00:00 city time"),
                "to": date("The moment after its end"), "issued": .boolean(description: "False for a week that closed before reports were kept: compiled when asked"),
                "issuedAt": date(), "colour": ref("RiskStanding"), "towns": array(ref("RiskStanding")), "matters": array(ref("RiskStanding")),
                "changes": array(ref("RiskColourChange")),
                "situations": array(object([
                    "situation": names(RiskSituation.allCases), "count": .integer(minimum: (0, exclusive: false)), "seasonal": .number, "trend": .number,
                    "expected": .number, "threshold": .number, "years": .integer(description: "Earlier years the seasonal level rests on", minimum: (0, exclusive: false)),
                    "above": .boolean,
                ])),
                "followUpsDone": .integer(minimum: (0, exclusive: false)), "followUpsOverdue": .integer(minimum: (0, exclusive: false)),
            ]))
        }
        if route.access != .open {
            for status: OpenAPI.Response.StatusCode in [401, 403, 404, 409, 413, 422] {
                responses[status] = .response(errorResponse)
            }
        }
        if request != nil || !parameters.isEmpty || route == .session {
            responses[400] = .response(errorResponse)
        }
        // Every route but the document itself reads the database; writes may find it full.
        if route != .openAPI {
            responses[503] = .response(unavailableResponse)
            if route.method != .get { responses[507] = .response(storageFullResponse) }
        }
        if route == .session {
            // 429: repeated wrong passwords slow an account and an address down, then lock them.
            for status: OpenAPI.Response.StatusCode in [401, 413, 422, 429] { responses[status] = .response(errorResponse) }
        }
        return OpenAPI.Operation(
            summary: summary, operationId: "\(route)", parameters: parameters, requestBody: request, responses: responses,
            security: route.access == .open ? [] : nil)
    }

    private static let assessmentPeriodText = JSONSchema.string(pattern: "^[0-9]{4}-([0-9]{2}|Q[1-4])$", examples: ["2026-11", "2026-Q4"])
    private static var assessmentPeriod: Either<OpenAPI.Reference<OpenAPI.Parameter>, OpenAPI.Parameter> {
        query("period", "A month YYYY-MM or a quarter YYYY-Qn (default: this month, or in a month's first five days, city time, the month just ended)", assessmentPeriodText)
    }
    private static var assessmentLevel: Either<OpenAPI.Reference<OpenAPI.Parameter>, OpenAPI.Parameter> {
        query("level", "The units assessed (default: the level below the post's)", names(AssessmentUnitKind.allCases))
    }

    /// Keyed numbers, one optional member per key.
    private static func numbers(_ keys: [String]) -> JSONSchema {
        var properties = OrderedDictionary<String, JSONSchema>()
        for key in keys { properties[key] = .number(required: false, minimum: (0, exclusive: false)) }
        return object(properties)
    }

    /// The case list's filters, which the export takes too.
    private static var caseFilters: [Either<OpenAPI.Reference<OpenAPI.Parameter>, OpenAPI.Parameter>] {
        [
            query("status", "Comma-separated statuses", .string(examples: ["accepted,assigned"])),
            query("category", "Category codes or ids, comma-separated; a parent includes its subtree"),
            query("platform", "One of the four platforms", names(Platform.allCases)),
            query("channel", "Intake channel", names(Channel.allCases)),
            query("area", "An area id or code within the post's area"),
            query("department", "Assigned department id", .integer),
            query("overdue", "Open and past due", .boolean),
            query("q", "Text in title or description"),
            query("from", "Reported at or after (date or ISO 8601 time)"),
            query("to", "Reported before (date or ISO 8601 time)"),
            query(
                "order",
                "newest (default): newest first, every case the filters match; urgent: open cases only, the least time left first (by due time, then id); reported: latest reported first (by report time, then id)",
                names(CaseOrder.allCases)),
        ]
    }

    // MARK: Schemas

    private static var schemas: OpenAPI.ComponentDictionary<JSONSchema> {
        [
            "Error": object([
                "error": object([
                    "code": names(APIError.Code.allCases), "message": .string, "field": optionalString,
                    "currentVersion": .integer(required: false, description: "On a version conflict: the case's version now"),
                    "reason": names(DiversionReason.allCases, required: false),
                ]),
            ]),
            "LogIn": object(["username": .string, "password": .string, "postID": optionalID]),
            "User": object(["id": id, "username": .string, "displayName": .string, "phone": optionalString]),
            "Post": object([
                "id": id, "role": names(Role.allCases), "roleName": .string,
                "area": ref("Area", required: false), "department": ref("Department", required: false),
            ]),
            "Session": object([
                "token": .string, "expiresAt": date(), "user": ref("User"), "post": ref("Post"), "posts": array(ref("Post")),
            ]),
            "Area": object(["id": id, "code": .string, "name": .string, "level": names(AdminLevel.allCases)]),
            "Department": object(["id": id, "name": .string, "kind": .string, "level": names(AdminLevel.allCases), "areaID": id]),
            "Category": object([
                "id": id, "code": .string, "name": .string, "parentID": optionalID,
                "platform": names(Platform.allCases), "kind": names(CategoryKind.allCases),
                "handlingLevel": names(AdminLevel.allCases), "departmentKind": optionalString,
                "acceptanceLimit": timeLimit, "signingLimit": timeLimit, "handlingLimit": timeLimit,
                "escalatesWhenOverdue": .boolean,
            ]),
            "GeoPoint": object([
                "lat": .number(maximum: (90, exclusive: false), minimum: (-90, exclusive: false)),
                "lng": .number(maximum: (180, exclusive: false), minimum: (-180, exclusive: false)),
            ]),
            "Intake": object([
                "title": .string(minLength: 1, maxLength: 200), "description": .string(required: false, maxLength: 5000),
                "categoryCode": optionalString, "categoryID": optionalID,
                "channel": names(Channel.allCases, required: false),
                "location": ref("GeoPoint", required: false), "gridID": optionalID, "address": optionalString,
                "reporter": object(["name": optionalString, "phone": optionalString, "idNumber": optionalString], required: false),
                "solvedOnSpot": .string(required: false, description: "What was done, when the case is solved at intake"),
                // What came with the report, a line each (photos, a voice note), kept on its report event.
                "evidence": array(.string(minLength: 1, maxLength: 300), required: false),
                // What shows it solved (an after-photo), kept on the solve-on-the-spot step; needs solvedOnSpot.
                "solvedOnSpotEvidence": array(.string(minLength: 1, maxLength: 300), required: false),
            ]),
            "Intake": object(intakeProperties(titleRequired: true)),
            "Action": object([
                "action": names(CaseAction.allCases.filter { !$0.allowedFrom.isEmpty }),
                "action": names(CaseAction.caseSteps),
                "version": .integer(required: false, description: "The version the client saw; a different current version answers 409"),
                "note": optionalString, "departmentID": optionalID, "areaID": optionalID,
                "watcherUserID": optionalID, "assistingDepartmentIDs": array(id, required: false),
                "primaryCaseID": optionalID, "legalRoute": names(LegalRoute.allCases, required: false),
                "rating": names(Rating.allCases, required: false), "evidence": array(.string, required: false),
                "extendBy": .string(required: false, description: "For extend: a time limit like 5wd (at most 10wd; 30d once for a petition)"),
            ]),
            "Case": caseSchema,
            // Petitions (信访工作条例).
            "Petitioner": object(["name": .string(minLength: 1, maxLength: 100), "phone": optionalString, "idNumber": optionalString]),
            "PetitionRegistration": object([
                "caseID": id, "form": names(PetitionForm.allCases), "petitionClass": names(PetitionClass.allCases),
                "headcount": .integer(description: "Everyone who brought it; 5 or more make a collective petition", minimum: (1, exclusive: false)),
                "petitioners": array(ref("Petitioner")), "matter": .string(minLength: 1, maxLength: PetitionProcedure.maxText),
                "bodiesAddressed": array(.string(maxLength: 200), required: false),
                "addressedLevel": names(AdminLevel.allCases),
            ]),
            "Petition": object([
                "caseID": id, "form": names(PetitionForm.allCases), "petitionClass": names(PetitionClass.allCases),
                "headcount": .integer, "petitioners": array(ref("Petitioner")), "matter": .string, "bodiesAddressed": array(.string),
                "crossLevel": .boolean(description: "It went above the level over the one responsible (越级)"),
                "registeringUnit": petitionUnit, "handlingUnit": petitionUnit.optionalSchemaObject(),
                "stage": names(PetitionStage.allCases), "receivedAt": date(), "routeStartedAt": date(),
                "routedAt": date(required: false), "acceptedAt": date(required: false),
                "replyExtension": object(["by": timeLimit, "approvedBy": .string, "reason": .string], required: false),
                "repliedAt": date(required: false), "reviewCount": .integer(minimum: (0, exclusive: false)),
                "reviewRequestedAt": date(required: false), "legalRoute": names(LegalRoute.allCases, required: false),
                "repeatOf": optionalID, "version": .integer(minimum: (1, exclusive: false)),
            ]),
            "Notice": object([
                "id": id, "title": .string, "body": .string, "fromAreaID": id, "fromPostID": id, "fromUserID": id,
                "audienceAreaIDs": array(id), "response": names(NoticeResponse.allCases), "dueAt": date(required: false), "publishedAt": date(),
            ]),
            "NoticeReceipt": object([
                "noticeID": id, "postID": id, "userID": id, "areaID": id, "role": names(Role.allCases),
                "readAt": date(required: false), "answeredAt": date(required: false), "reply": optionalString,
            ]),
            "NoticeTally": object([
                "recipients": .integer(minimum: (0, exclusive: false)), "read": .integer(minimum: (0, exclusive: false)),
                "answered": .integer(minimum: (0, exclusive: false)), "late": .integer(minimum: (0, exclusive: false)),
            ]),
            "PetitionView": object([
                "petition": ref("Petition"), "collective": .boolean,
                "clocks": array(object([
                    "limit": names(PetitionLimit.allCases), "article": .string, "unit": petitionUnit,
                    "startedAt": date(), "dueAt": date(), "colour": names(ClockColour.allCases),
                ])),
                "steps": array(object([
                    "caseID": id, "sequence": .integer, "step": .string, "fromStage": names(PetitionStage.allCases, required: false),
                    "toStage": names(PetitionStage.allCases), "userID": id, "postID": id, "unit": petitionUnit, "at": date(),
                    "text": optionalString, "details": .object(additionalProperties: .b(.string)),
                ]), required: false),
            ]),
            "PetitionRepeatCandidate": object([
                "caseID": id, "similarity": .number(maximum: (1, exclusive: false), minimum: (0, exclusive: false)),
                "sharedPetitioners": .integer(minimum: (1, exclusive: false)),
            ]),
            "PetitionStep": object([
                "step": .string(allowedValues: PetitionController.StepBody.names.map { AnyCodable($0) }),
                "version": .integer(required: false, description: "The version the client saw; a different current version answers 409"),
                "to": .string(required: false, description: "For route: the unit, department:ID or centre:AREA"),
                "notice": .string(required: false, description: "For accept: the acceptance notice (受理告知书)"),
                "reason": .string(required: false, description: "For object, notAccept, extend, requestReview, guide"),
                "text": .string(required: false, description: "For reply: the written reply (信访处理意见书)"),
                "extendBy": .string(required: false, description: "For extend: at most 30d, once"),
                "approvedBy": .string(required: false, description: "For extend: the unit head who approved it"),
                "reviewingUnit": .string(required: false, description: "For requestReview: the unit that reviews"),
                "legalRoute": names(LegalRoute.allCases, required: false),
            ]),
            "PetitionLimits": object([
                "route": timeLimit, "notice": timeLimit, "objection": timeLimit, "reply": timeLimit, "maximumExtension": timeLimit,
                "review": timeLimit,
            ]),
            "Notification": object([
                "id": id, "userID": id, "caseID": id, "kind": names(NoticeKind.allCases.map(\.action)),
                "message": .string, "createdAt": date(), "readAt": date("Absent while unread", required: false),
            ]),
            "DeadlineSettings": object([
                "yellowShare": .number(
                    description: "Share of a limit after which a clock turns yellow and its holder is urged (default 0.8)",
                    maximum: (DeadlinePlanner.yellowShares.upperBound, exclusive: false),
                    minimum: (DeadlinePlanner.yellowShares.lowerBound, exclusive: false)),
            ]),
            "CalendarSummary": object([
                "timeZone": .string(examples: ["Asia/Shanghai"]), "holidays": .integer(description: "Days off"),
                "workdays": .integer(description: "Weekend days worked (调休)"),
                "officeHours": array(.string(examples: ["08:30-12:00"])),
            ]),
            "DeadlineFigures": object([
                "area": ref("Area", required: false), "department": ref("Department", required: false),
                "unassigned": .boolean(required: false, description: "With groupBy=department: the cases no department holds yet"),
                "total": .boolean(required: false, description: "In an NDJSON download: the row of the rows added up"),
                "received": .integer, "closed": .integer(description: "Closed or archived"),
                "closedOnTime": .integer(description: "Closed, fed back no later than due"),
                "onTimeRate": .number(required: false, description: "closedOnTime / closed; absent when nothing was closed"),
                "overdue": .integer(description: "Open and past due now"),
                "handled": .integer(description: "Fed back, the base of the average"),
                "averageHandlingHours": .number(required: false, description: "Report to feedback, in hours; absent when nothing was handled"),
            ]),
            "FigureTotals": figureTotals,
            "AreaFigures": object([
                "area": ref("Area"), "totals": ref("FigureTotals"), "lastYear": ref("FigureTotals", "The same months a year before"),
                "open": .integer(description: "Open now"), "overdue": .integer(description: "Open and past due now"),
            ]),
            "WebhookRegistration": object([
                "url": .string(format: .uri, description: "http or https"),
                "secret": .string(description: "The HMAC key deliveries are signed with", minLength: 16),
                "events": .array(
                    description: "Event kinds, or [\"*\"] for all", minItems: 1,
                    items: .string(allowedValues: (WebhookEvents.kinds.map(\.rawValue) + ["*"]).map(AnyCodable.init))),
            ]),
            "Webhook": object([
                "id": id, "url": .string,
                "events": array(.string(allowedValues: (WebhookEvents.kinds.map(\.rawValue) + ["*"]).map(AnyCodable.init))),
                "createdAt": date(),
            ]),
            "Open311KeyIssue": object([
                "name": .string(description: "Who the key is for, 1–100 characters"), "postID": id,
                "areaID": .integer(required: false, description: "The jurisdiction: the post's area (default) or one inside it", minimum: (1, exclusive: false)),
                "requestsPerMinute": .integer(required: false, description: "Default 60", maximum: (6_000, exclusive: false), minimum: (1, exclusive: false)),
            ]),
            "Open311Key": object([
                "id": id, "name": .string, "postID": id, "areaID": id,
                "jurisdictionID": .string(description: "The area's division code, the jurisdiction_id Open311 clients send"),
                "requestsPerMinute": .integer(minimum: (1, exclusive: false)), "createdAt": date(),
                "revokedAt": date(required: false), "apiKey": .string(required: false, description: "Only when issued"),
            ]),
            "WebhookPayload": object([
                "id": .string(description: "The event's hash: the same event delivered twice has the same id"),
                "kind": names(WebhookEvents.kinds), "caseID": id, "sequence": .integer(minimum: (1, exclusive: false)),
                "at": date(), "status": names(CaseStatus.allCases), "handlingLevel": names(AdminLevel.allCases),
                "departmentID": optionalID, "note": optionalString,
            ], description: "The body of a delivery"),
            "WebhookDelivery": object([
                "id": id, "kind": names(WebhookEvents.kinds), "payload": ref("WebhookPayload"), "attempts": .integer(minimum: (0, exclusive: false)),
                "nextAttemptAt": date("Absent once delivered or given up", required: false),
                "deliveredAt": date(required: false), "lastError": optionalString, "createdAt": date(),
            ]),
            // Mediation.
            "DisputeForm": object([
                "type": names(DisputeType.allCases), "amountYuan": .integer(required: false, description: "In whole yuan"),
                "peopleInvolved": .integer(required: false, description: "Defaults to the number of parties"),
                "summary": .string(minLength: 1, maxLength: 5000),
                "parties": array(partyForm()),
            ]),
            "MediationStep": object([
                "action": names(MediationStep.Kind.allCases),
                "version": .integer(required: false, description: "The dispute's version the client saw; a different current version answers 409"),
                "note": optionalString, "party": .integer(required: false), "parties": array(.integer, required: false),
                "bodyID": optionalID, "routes": array(names(MediationWorkflow.otherRoutes), required: false),
                "carriedOut": .boolean(required: false), "court": optionalString,
                "decision": names(CourtDecision.allCases, required: false), "startsAt": date(required: false),
                "place": optionalString, "videoLink": optionalString, "participants": array(.string, required: false),
                "record": optionalString, "facts": optionalString, "terms": optionalString,
                "obligations": array(object(["party": .integer, "text": .string, "dueOn": date()]), required: false),
                "newParty": partyForm(required: false, description: "addParty: the party found after the file was opened"),
            ]),
            "MediationBody": object([
                "id": id, "name": .string, "kind": names(MediationBodyKind.allCases), "level": names(AdminLevel.allCases), "areaID": id,
                "memberUserIDs": array(id), "retiredAt": date("Set once an administrator retired it", required: false),
            ]),
            "MajorDisputeRule": object([
                "amountYuan": .integer(
                    description: "A dispute from this amount at stake is major",
                    maximum: (Int(AdministrationMediation.amountLimit), exclusive: false), minimum: (1, exclusive: false)),
                "peopleInvolved": .integer(
                    description: "A dispute from this many people involved is major",
                    maximum: (AdministrationMediation.peopleLimit, exclusive: false), minimum: (2, exclusive: false)),
                "types": array(names(DisputeType.allCases)),
                "violenceRisk": .boolean(description: "Whether a risk of violence reported to the police makes a dispute major"),
            ]),
            "ScreeningRound": object([
                "id": id, "area": ref("Area", required: false), "level": names(ScreeningCadence.levels), "doneAt": date(), "userID": id,
                "checked": .string,
                "findings": array(object(["number": .integer(minimum: (1, exclusive: false)), "text": .string, "caseID": optionalID])),
            ]),
            "ScreeningCadence": object([
                "gridDays": .integer(maximum: (ScreeningCadence.longestDays, exclusive: false), minimum: (1, exclusive: false)),
                "villageDays": .integer(maximum: (ScreeningCadence.longestDays, exclusive: false), minimum: (1, exclusive: false)),
                "townDays": .integer(maximum: (ScreeningCadence.longestDays, exclusive: false), minimum: (1, exclusive: false)),
                "cityDays": .integer(maximum: (ScreeningCadence.longestDays, exclusive: false), minimum: (1, exclusive: false)),
            ]),
            "ProcedureFigures": {
                let sum = object([
                    "key": .string(description: "The body's id, type or level; none for disputes no body took yet"),
                    "name": optionalString, "accepted": .integer, "concluded": .integer, "agreed": .integer,
                    "successRate": .number(required: false, description: "Agreed / concluded; absent before any concluded"),
                ])
                let count = object(["key": .string, "count": .integer])
                return object([
                    "disputes": sum, "disputesByBody": array(sum), "disputesByType": array(sum), "disputesByLevel": array(sum),
                    "followUps": .integer, "carriedOut": .integer, "confirmationsApplied": .integer, "confirmed": .integer,
                    "petitions": .integer, "petitionsByForm": array(count), "petitionsByClass": array(count),
                    "collective": .integer, "repeats": .integer, "crossLevel": .integer, "replies": .integer, "repliesInTime": .integer,
                    "inTimeRate": .number(required: false, description: "Replies in time / replies; absent before any"),
                    "misses": array(object(["unit": .string, "limit": names(PetitionLimit.allCases), "count": .integer])),
                ])
            }(),
            "MediationSession": object([
                "number": .integer, "startsAt": date(), "place": optionalString, "videoLink": optionalString,
                "participants": array(.string), "record": .string, "recordedByUserID": id,
            ]),
            "Dispute": object([
                "caseID": id, "version": .integer, "caseVersion": .integer(required: false, description: "The case's version, after this step"),
                "status": names(DisputeStatus.allCases), "type": names(DisputeType.allCases),
                "amountYuan": .integer(required: false), "peopleInvolved": .integer, "summary": .string,
                "riskColour": names(RiskColour.allCases), "majorReason": optionalString, "violenceReportedAt": date(required: false),
                "body": ref("MediationBody", required: false),
                "parties": array(object([
                    "number": .integer, "kind": names(PartyKind.allCases), "role": names(PartyRole.allCases), "name": .string,
                    "phone": .string(required: false, description: "Masked: 138****5678"), "idNumber": .string(required: false, description: "Masked"),
                    "consent": names(PartyConsent.allCases), "consentNote": optionalString,
                ])),
                "sessions": array(ref("MediationSession")),
                "agreements": array(object([
                    "number": .integer, "facts": .string, "terms": .string, "draftedAt": date(),
                    "obligations": array(object(["number": .integer, "partyNumber": .integer, "text": .string, "dueOn": date()])),
                    "signatures": array(object(["party": .integer, "at": date()])),
                    "mediatorUserID": optionalID, "mediatorSignedAt": date(required: false), "stampedAt": date(required: false),
                    "effectiveAt": date("Set once both parties and the mediator signed and it was stamped", required: false),
                    "breachedAt": date("Set when a follow-up found it not carried out", required: false),
                    "confirmationAppliedAt": date(required: false), "court": optionalString,
                    "courtDecision": names(CourtDecision.allCases, required: false), "courtDecidedAt": date(required: false),
                    "courtNote": optionalString,
                ])),
                "followUps": array(object(["number": .integer, "at": date(), "byUserID": id, "carriedOut": .boolean, "note": .string])),
                "legalRoutes": array(names(LegalRoute.allCases)), "endedAt": date(required: false), "endNote": optionalString,
                "reopenCount": .integer, "registeredAt": date(), "followUpDue": date(required: false),
                "allowedSteps": array(names(MediationStep.Kind.allCases), required: false),
            ]),
            // The 12345 hotline.
            "HotlineTicketIn": hotlineTicketIn,
            "HotlineTicket": object([
                "ticket": .string, "case": ref("Case", required: false),
                "result": object(["text": .string(description: "What the handler fed back, or what solved it on the spot"), "at": date()], required: false),
                "rating": object([
                    "rating": names(Rating.allCases), "words": .string(required: false, description: "What the caller said, as the rating's note"),
                    "at": date(required: false),
                ], required: false),
                "diversion": object([
                    "reason": names(DiversionReason.allCases), "text": .string(description: "What the caller is told"),
                    "line": names(EmergencyLine.allCases, required: false), "legalRoute": names(LegalRoute.allCases, required: false),
                    "earlierTicket": optionalString, "earlierCaseID": optionalID,
                    "earlierStatus": names(CaseStatus.allCases, required: false), "note": optionalString, "receivedAt": date(),
                ], required: false),
            ]),
            // The data brain's feeds.
            "PoliceIncident": object(merged(feedPlace, [
                "incidentNumber": .string(description: "The incident's own id: 1–100 visible ASCII characters"), "kind": .string(maxLength: 100),
                "time": date(), "summary": .string(maxLength: 5000),
                "parties": .integer(required: false, maximum: (10_000, exclusive: false), minimum: (0, exclusive: false)),
                "isDispute": .boolean(required: false),
            ])),
            "OpinionItem": object(merged(feedPlace, [
                "id": .string(description: "The item's own id: 1–100 visible ASCII characters"), "source": .string(maxLength: 200),
                "url": .string(format: .uri, required: false), "title": .string(maxLength: 500), "text": .string(required: false, maxLength: 20_000),
                "publishedAt": date(), "heat": .number(required: false, minimum: (0, exclusive: false)),
            ])),
            "FeedBatch": object([
                "kind": names(FeedKind.allCases), "taken": .integer, "repeated": .integer, "refused": .integer,
                "lines": array(object([
                    "line": .integer(minimum: (1, exclusive: false)), "outcome": names(Feeds.Outcome.Kind.allCases),
                    "itemID": optionalString, "id": optionalID,
                    "field": .string(required: false, description: "For a refused line: the field at fault (line: not one JSON object)"),
                    "expected": .string(required: false, description: "For a refused line: what that field must be"),
                ])),
            ]),
            "AreaIDs": object([
                "city": id, "county": id, "town": id, "village": id, "grid": id,
            ], description: "The ids of the areas a record lies in, city to grid"),
            "Resident": object([
                "id": id, "householdID": id, "areas": ref("AreaIDs"), "name": .string,
                "idNumber": .string(description: "Masked unless revealed"), "phone": .string(required: false, description: "Masked"),
                "relation": optionalString, "kind": .string(description: "The kind's code (ordinary, elderlyAlone, …)"),
                "registration": names(Registration.allCases),
            ]),
            "Household": object([
                "id": id, "areas": ref("AreaIDs"), "placeID": optionalID, "unit": optionalString, "address": .string,
                "registration": names(Registration.allCases), "phone": .string(required: false, description: "Masked"),
                "registeredAt": date(), "visitDueAt": date(required: false), "lastVisitAt": date(required: false),
            ]),
            "Visit": object([
                "id": id, "subject": names(Visits.visited), "subjectID": id, "areas": ref("AreaIDs"), "visitedAt": date(),
                "location": ref("GeoPoint", required: false), "position": names([Visit.Position.inGrid, .outsideGrid, .notGiven]),
                "whom": .string, "findings": .string, "evidence": array(.string), "caseID": optionalID,
            ]),
            "FeedItem": object([
                "id": id, "kind": names(FeedKind.allCases), "itemID": .string, "occurredAt": date(),
                "area": ref("Area", required: false, "The deepest area it is placed in: its grid, or the area its code named"),
                "location": ref("GeoPoint", required: false), "areaCode": optionalString, "place": optionalString,
                "title": optionalString, "text": .string, "source": optionalString, "url": optionalString, "heat": .number(required: false),
                "incidentKind": optionalString, "parties": .integer(required: false), "isDispute": .boolean(required: false),
                "caseID": optionalID, "receivedAt": date(),
            ]),
            "RiskReason": object([
                "rule": names(RiskRule.allCases), "situation": names(RiskSituation.allCases, required: false),
                "count": .integer(required: false, description: "The number that met the rule"),
                "expected": .number(required: false), "threshold": .number(required: false),
            ]),
            "RiskOwner": object(["role": names(Role.allCases), "area": ref("Area")]),
            "RiskStanding": object([
                "kind": names(RiskMatterKind.allCases), "id": id, "title": optionalString, "area": ref("Area", required: true, "Where it lies: the area itself, or the matter's grid"),
                "colour": names(RiskColour.allCases), "reasons": array(ref("RiskReason")), "since": date(required: false),
                "owner": ref("RiskOwner", required: false), "followUpDueAt": date(required: false), "followUpDoneAt": date(required: false),
                "followUpNote": optionalString, "overdue": .boolean, "version": .integer(minimum: (0, exclusive: false)),
            ]),
            "RiskColourChange": object([
                "kind": names(RiskMatterKind.allCases), "id": id, "area": ref("Area", required: false), "sequence": .integer,
                "from": names(RiskColour.allCases), "to": names(RiskColour.allCases), "reasons": array(ref("RiskReason")),
                "owner": ref("RiskOwner", required: false), "followUpDueAt": date(required: false),
                "followUpNote": .string(required: false, description: "The follow-up a change that brings the colour down rests on"),
                "byUserID": optionalID, "at": date(),
            ]),
            "AssessmentResult": object([
                "unit": object(["level": names(AssessmentUnitKind.allCases), "id": id, "name": .string, "place": .string]),
                "indicators": array(object([
                    "indicator": names(AssessmentIndicator.allCases), "numerator": .integer, "denominator": .integer,
                    "rate": .number(required: false, description: "numerator / denominator; absent when the denominator is 0"),
                    "weight": .number, "lowerIsBetter": .boolean,
                ])),
                "rateScore": .number(required: false, description: "The weighted score of the rates, 0–100"),
                "cardPoints": .number, "score": .number(required: false, description: "After cards; absent when nothing was counted"),
                "grade": names(AssessmentGrade.allCases, required: false),
                "stationedScore": .number(required: false, description: "A stationed agency's: the town's share of its own score and the department's of its parent's"),
                "rank": .integer(required: false, minimum: (1, exclusive: false)),
            ]),
            "AssessmentSettings": object([
                "weights": {
                    var levels = OrderedDictionary<String, JSONSchema>()
                    for kind in AssessmentUnitKind.allCases { levels[kind.rawValue] = numbers(kind.indicators.map(\.rawValue)) }
                    return object(levels, description: "Per level, each indicator's weight; a level's weights sum to 100")
                }(),
                "gradeMinimums": numbers(["A", "B", "C", "D"]), "cardPoints": numbers(CardColour.allCases.map(\.rawValue)),
                "stationedTownShare": .number, "stationedDepartmentShare": .number,
                "signingHours": .number, "dispatchHours": .number, "verificationHours": .number,
            ]),
            "AssessmentCard": object([
                "id": id, "period": .string, "level": names(AssessmentUnitKind.allCases), "unit": id, "colour": names(CardColour.allCases),
                "points": .number, "reason": .string, "caseID": optionalID, "at": date(),
            ]),
            "TimelineEvent": object([
                "sequence": .integer(minimum: (1, exclusive: false)), "action": names(CaseAction.allCases),
                "fromStatus": names(CaseStatus.allCases, required: false), "toStatus": names(CaseStatus.allCases),
                "actorUserID": optionalID, "actorPostID": optionalID, "actorRole": names(Role.allCases, required: false),
                "at": date(), "note": optionalString,
                "details": .object(additionalProperties: .b(.string)),
                "previousHash": .string, "hash": .string,
            ]),
        ]
    }

    /// A report's fields; the title is required but of a diverted hotline ticket.
    private static func intakeProperties(titleRequired: Bool) -> OrderedDictionary<String, JSONSchema> {
        [
            "title": .string(required: titleRequired, minLength: 1, maxLength: 200), "description": .string(required: false, maxLength: 5000),
            "categoryCode": optionalString, "categoryID": optionalID,
            "channel": names(Channel.allCases, required: false),
            "location": ref("GeoPoint", required: false), "gridID": optionalID, "address": optionalString,
            "reporter": object(["name": optionalString, "phone": optionalString, "idNumber": optionalString], required: false),
            "solvedOnSpot": .string(required: false, description: "What was done, when the case is solved at intake"),
        ]
    }

    /// A ticket as the hotline sends it: its number and a report's fields, or its number and the
    /// diversion alone.
    private static var hotlineTicketIn: JSONSchema {
        let properties: OrderedDictionary<String, JSONSchema> = [
            "ticket": .string(description: "The hotline's ticket number: 1–64 visible ASCII characters, no '/'", minLength: 1, maxLength: 64),
            "diversion": object([
                "reason": names(DiversionReason.allCases),
                "line": names(EmergencyLine.allCases, required: false), "legalRoute": names(LegalRoute.allCases, required: false),
                "earlierTicket": .string(required: false, description: "For repeatWithoutNewReason: the ticket it repeats, which must be a case here"),
                "note": .string(required: false, maxLength: 1000),
            ], required: false, description: "Not the grid's business: the case's fields are then not read"),
        ]
        return object(merged(properties, intakeProperties(titleRequired: false)))
    }

    /// The fields of one object followed by those of another.
    private static func merged(_ first: OrderedDictionary<String, JSONSchema>, _ second: OrderedDictionary<String, JSONSchema>) -> OrderedDictionary<String, JSONSchema> {
        var all = first
        for (key, value) in second { all[key] = value }
        return all
    }

    /// Where a feed item happened, for either kind: a point or an area's code, and the case it concerns.
    private static var feedPlace: OrderedDictionary<String, JSONSchema> {
        [
            "location": ref("GeoPoint", required: false, "Placed on its grid"),
            "areaCode": .string(required: false, description: "Without a point: an area's division code"),
            "place": .string(required: false, maxLength: 500), "caseID": optionalID,
        ]
    }

    /// The counts of a period by `FigureCount` and the rates of DOMAIN.md §6 built from them; a
    /// rate is absent when its base is zero.
    private static var figureTotals: JSONSchema {
        func by<T: RawRepresentable & CaseIterable>(_: T.Type) -> JSONSchema where T.RawValue == String {
            var properties = OrderedDictionary<String, JSONSchema>()
            for value in T.allCases { properties[value.rawValue] = .integer }
            return object(properties)
        }
        func rate(_ description: String) -> JSONSchema { .number(required: false, description: description) }
        return object([
            "received": .integer, "receivedByChannel": by(Channel.self), "accepted": .integer,
            "cancelled": .integer(description: "Rejected, guided and merged, counted apart from the closed"),
            "rejected": .integer, "guided": .integer, "merged": .integer,
            "dispatched": .integer, "dispatchedByPlatform": by(Platform.self),
            "handled": .integer(description: "Handled for the first time (a rework's feedback not again)"), "handledByChannel": by(Channel.self),
            "verified": .integer, "reworked": .integer, "closed": .integer, "closedByLevel": by(AdminLevel.self),
            "closedOnTime": .integer, "rated": .integer, "ratedBy": by(Rating.self), "returned": .integer, "escalated": .integer,
            "closureRate": rate("closed / accepted, of the cases reported in the period"), "onTimeRate": rate("closedOnTime / closed"),
            "reworkRate": rate("reworked / verified"), "satisfaction": rate("satisfied / rated"),
            "handlingRate": rate("handled / received, of the cases reported in the period"),
            "shareClosedInVillage": rate("Closed at village level or below / closed: the seeds' headline"),
        ])
    }

    /// "4h", "8wh", "5wd", "30d": `TimeLimit`'s text, its units from `TimeLimit.Unit`.
    /// A petition's unit: a department, or an area's centre.
    private static let petitionUnit = JSONSchema.string(pattern: "^(department|centre):[0-9]+$", examples: ["department:12"])
    private static let timeLimit = JSONSchema.string(
        pattern: "^[1-9][0-9]*(" + TimeLimit.Unit.allCases.map(\.rawValue).joined(separator: "|") + ")$",
        examples: ["5wd"])

    /// A case as `CaseJSON` writes it: the summary's fields always; the detail's only on a case's
    /// own page and action answers, and the optional ones only when set.
    private static var caseSchema: JSONSchema {
        var areas = OrderedDictionary<String, JSONSchema>()
        for level in AdminLevel.allCases { areas[level.rawValue] = ref("Area", required: false) }
        return object([
            "id": id, "number": .string(examples: ["20261123-00000042"]), "version": .integer(minimum: (1, exclusive: false)),
            "status": names(CaseStatus.allCases), "statusName": .string,
            "allowedActions": array(names(CaseAction.allCases)),
            "title": .string, "description": optionalString, "category": ref("Category", required: false),
            "categoryCode": optionalString, "categoryName": optionalString,
            "platform": names(Platform.allCases), "channel": names(Channel.allCases),
            "location": ref("GeoPoint", required: false), "address": optionalString,
            "areas": object(areas, description: "The place at every level, city first"),
            "handling": object(["level": names(AdminLevel.allCases), "area": ref("Area", required: false)]),
            "suggestedDepartment": ref("Department", required: false), "department": ref("Department", required: false),
            "assists": array(object(["department": ref("Department", required: false), "reportedAt": date(required: false)]), required: false),
            "watcherUserID": optionalID,
            "reporter": object([
                "name": optionalString, "phone": optionalString, "idNumber": optionalString,
                "masked": .boolean(description: "True when phone and ID number are masked; POST …/reveal shows them and is recorded"),
            ]),
            "finalLevel": names(AdminLevel.allCases, required: false), "rating": names(Rating.allCases, required: false),
            "primaryCaseID": optionalID, "legalRoute": names(LegalRoute.allCases, required: false),
            "createdAt": date(), "updatedAt": date(required: false), "dueAt": date(), "overdue": .boolean,
            "clock": object([
                "stage": names(DeadlineStage.allCases), "startedAt": date(),
                "yellowAt": date("When it turns yellow and its holder is urged"), "dueAt": date(),
                "colour": names(ClockColour.allCases), "usedSeconds": .integer, "leftSeconds": .integer,
                "share": .number(description: "Share of the limit used; above 1 when overdue"),
                "suspended": .boolean, "lastAlert": names(AlertKind.allCases, required: false),
            ], required: false, description: "The running stage's deadline"),
            "extensionCount": .integer(required: false, minimum: (0, exclusive: false)),
            "reviewCount": .integer(required: false, description: "Reviews a petitioner asked for: 1 after 复查, 2 after 复核", minimum: (0, exclusive: false)),
            "acceptedAt": date(required: false), "assignedAt": date(required: false),
            "handledAt": date(required: false), "closedAt": date(required: false),
            "returnCount": .integer(required: false, minimum: (0, exclusive: false)),
            "reworkCount": .integer(required: false, minimum: (0, exclusive: false)),
            "escalationCount": .integer(required: false, minimum: (0, exclusive: false)),
        ])
    }
}
