import Foundation
import Hummingbird
import OneGridDomain
import OneGridStore

/// The OpenAPI 3.1 description of `/api/v1`, written against `APIRoute` so every route has its
/// operation (a test walks both). Enumerations come from the domain's own cases.
enum OpenAPIDocument {
    static let data: Data = {
        var paths: [String: [String: Any]] = [:]
        for route in APIRoute.allCases {
            paths[route.path, default: [:]][route.method.rawValue.lowercased()] = operation(route)
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "OneGrid API",
                "version": "1.0.0",
                "description": "One window, one grid, one platform: intake, routing, dispatch, handling, verification, rating and archive of grassroots governance cases.",
            ],
            "servers": [["url": "/"]],
            "paths": paths,
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "schemas": schemas,
            ],
            "security": [["bearer": [String]()]],
        ]
        return try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }()

    static func response() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    private static func json(_ schema: [String: Any]) -> [String: Any] { ["content": ["application/json": ["schema": schema]]] }
    private static func names<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> [String] where T.RawValue == String {
        T.allCases.map(\.rawValue)
    }

    private static var errors: [String: Any] { [
        "400": ["description": "Malformed request", "content": ["application/json": ["schema": ref("Error")]]],
        "401": ["description": "No or unknown token", "content": ["application/json": ["schema": ref("Error")]]],
        "403": ["description": "The post may not do this", "content": ["application/json": ["schema": ref("Error")]]],
        "404": ["description": "Not found, or outside the post's area", "content": ["application/json": ["schema": ref("Error")]]],
        "409": ["description": "Not allowed in the case's state, or the case changed meanwhile", "content": ["application/json": ["schema": ref("Error")]]],
        "413": ["description": "Body too large", "content": ["application/json": ["schema": ref("Error")]]],
        "422": ["description": "A field is missing or invalid", "content": ["application/json": ["schema": ref("Error")]]],
    ] }

    private static var idParameter: [String: Any] { ["name": "id", "in": "path", "required": true, "schema": ["type": "integer", "minimum": 1]] }

    private static func query(_ name: String, _ description: String, _ schema: [String: Any] = ["type": "string"]) -> [String: Any] {
        ["name": name, "in": "query", "required": false, "description": description, "schema": schema]
    }

    private static func operation(_ route: APIRoute) -> [String: Any] {
        var operation: [String: Any] = ["operationId": "\(route)", "responses": errors]
        var responses = errors
        func ok(_ status: String = "200", _ schema: [String: Any], _ description: String = "OK") {
            responses[status] = ["description": description] .merging(json(schema)) { a, _ in a }
        }
        switch route {
        case .openAPI:
            operation["summary"] = "This document"
            operation["security"] = [[String: Any]]()
            responses = ["200": ["description": "OpenAPI 3.1 document", "content": ["application/json": ["schema": ["type": "object"]]]]]
        case .session:
            operation["summary"] = "Log in with username and password; returns a bearer token"
            operation["security"] = [[String: Any]]()
            operation["requestBody"] = ["required": true].merging(json(ref("LogIn"))) { a, _ in a }
            ok("201", ref("Session"), "Signed in")
        case .sessionEnd:
            operation["summary"] = "Log out: the token stops working"
            responses["204"] = ["description": "Signed out"]
        case .me:
            operation["summary"] = "The signed-in user and post"
            ok("200", ["type": "object", "properties": ["user": ref("User"), "post": ref("Post")]])
        case .tokens:
            operation["summary"] = "Create a long-lived API token for an integration, acting as the caller's post"
            operation["requestBody"] = ["required": true].merging(json(["type": "object", "required": ["label"], "properties": ["label": ["type": "string"]]])) { a, _ in a }
            ok("201", ["type": "object", "properties": ["token": ["type": "string"], "label": ["type": "string"], "post": ref("Post")]], "Created")
        case .areas:
            operation["summary"] = "The post's own area, or the children of `parent` within it"
            operation["parameters"] = [query("parent", "An area id", ["type": "integer"])]
            ok("200", ["type": "object", "properties": ["areas": ["type": "array", "items": ref("Area")]]])
        case .area:
            operation["summary"] = "One area with its lineage and departments"
            operation["parameters"] = [idParameter]
            ok("200", ["type": "object", "properties": ["area": ref("Area"), "lineage": ["type": "array", "items": ref("Area")], "boundary": ["type": "object", "properties": ["ring": ["type": "array", "items": ref("GeoPoint")]]], "departments": ["type": "array", "items": ref("Department")]]])
        case .categories:
            operation["summary"] = "The category tree with each category's level, department and time limits"
            ok("200", ["type": "object", "properties": ["categories": ["type": "array", "items": ref("Category")]]])
        case .departments:
            operation["summary"] = "Departments serving the post's area"
            ok("200", ["type": "object", "properties": ["departments": ["type": "array", "items": ref("Department")]]])
        case .locate:
            operation["summary"] = "The grid containing a point and, given a category, where a case there would be handled"
            operation["parameters"] = [
                ["name": "lat", "in": "query", "required": true, "schema": ["type": "number"]],
                ["name": "lng", "in": "query", "required": true, "schema": ["type": "number"]],
                query("category", "A category code"),
            ]
            ok("200", ["type": "object", "properties": ["grid": ref("Area"), "lineage": ["type": "array", "items": ref("Area")], "handlingLevel": ["type": "string"], "handlingArea": ref("Area"), "suggestedDepartment": ref("Department")]])
        case .cases:
            operation["summary"] = "Cases the post may see, newest first, in cursor pages"
            operation["parameters"] = [
                query("status", "Comma-separated statuses", ["type": "string", "example": "accepted,assigned"]),
                query("category", "Category codes or ids, comma-separated; a parent includes its subtree"),
                query("platform", "One of the four platforms", ["type": "string", "enum": names(Platform.self)]),
                query("channel", "Intake channel", ["type": "string", "enum": names(Channel.self)]),
                query("area", "An area id or code within the post's area"),
                query("department", "Assigned department id", ["type": "integer"]),
                query("overdue", "Open and past due", ["type": "boolean"]),
                query("q", "Text in title or description"),
                query("from", "Reported at or after (date or ISO 8601 time)"),
                query("to", "Reported before (date or ISO 8601 time)"),
                query("cursor", "nextCursor of the previous page"),
                query("limit", "Page size, 1–200 (default 20)", ["type": "integer", "minimum": 1, "maximum": 200]),
            ]
            ok("200", ["type": "object", "properties": ["cases": ["type": "array", "items": ref("Case")], "nextCursor": ["type": "string"]]])
        case .caseCreate:
            operation["summary"] = "Report a case (any channel); routed to its grid, level and department"
            operation["parameters"] = [["name": "Idempotency-Key", "in": "header", "required": false, "description": "A retry with the same key returns the first case", "schema": ["type": "string", "maxLength": 200]]]
            operation["requestBody"] = ["required": true].merging(json(ref("Intake"))) { a, _ in a }
            ok("201", ref("Case"), "Created")
            responses["200"] = ["description": "A retry of an earlier request with the same Idempotency-Key: the first case"].merging(json(ref("Case"))) { a, _ in a }
        case .caseDetail:
            operation["summary"] = "One case, with the actions this post may take now"
            operation["parameters"] = [idParameter]
            ok("200", ref("Case"))
        case .caseActions:
            operation["summary"] = "Take one step of the case flow"
            operation["parameters"] = [idParameter]
            operation["requestBody"] = ["required": true].merging(json(ref("Action"))) { a, _ in a }
            ok("200", ref("Case"))
        case .caseTimeline:
            operation["summary"] = "The case's append-only, hash-chained timeline"
            operation["parameters"] = [idParameter]
            ok("200", ["type": "object", "properties": ["caseID": ["type": "integer"], "events": ["type": "array", "items": ref("TimelineEvent")]]])
        case .caseReveal:
            operation["summary"] = "Show the reporter's phone or ID number unmasked (recorded)"
            operation["parameters"] = [idParameter]
            operation["requestBody"] = ["required": true].merging(json(["type": "object", "required": ["field"], "properties": ["field": ["type": "string", "enum": ["phone", "idNumber"]]]])) { a, _ in a }
            ok("200", ["type": "object", "properties": ["caseID": ["type": "integer"], "field": ["type": "string"], "value": ["type": ["string", "null"]]]])
        case .inbox:
            operation["summary"] = "The signed-in user's notifications (urges, supervisions, assignments, escalations), newest first"
            operation["parameters"] = [
                query("unread", "Only unread ones", ["type": "boolean"]),
                query("cursor", "nextCursor of the previous page"),
                query("limit", "Page size, 1–200 (default 50)", ["type": "integer", "minimum": 1, "maximum": 200]),
            ]
            ok("200", ["type": "object", "properties": [
                "notifications": ["type": "array", "items": ref("Notification")], "unread": ["type": "integer"], "nextCursor": ["type": "string"],
            ]])
        case .inboxRead:
            operation["summary"] = "Mark one of the user's notifications read"
            operation["parameters"] = [idParameter]
            ok("200", ["type": "object", "properties": ["id": ["type": "integer"], "read": ["type": "boolean"]]])
        case .webhookCreate:
            operation["summary"] = "Register an outgoing webhook (administrators): each delivery is POSTed with X-OneGrid-Event, X-OneGrid-Delivery and X-OneGrid-Signature: sha256=<hex HMAC-SHA256 of the body keyed by the secret>, and retried with back-off until a 2xx"
            operation["requestBody"] = ["required": true].merging(json(ref("WebhookRegistration"))) { a, _ in a }
            ok("201", ref("Webhook"), "Created; the secret is never shown again")
        case .webhooks:
            operation["summary"] = "The registered webhooks (administrators), without their secrets"
            ok("200", ["type": "object", "properties": ["webhooks": ["type": "array", "items": ref("Webhook")]]])
        case .webhookDeliveries:
            operation["summary"] = "A webhook's recent deliveries, newest first (administrators)"
            operation["parameters"] = [idParameter]
            ok("200", ["type": "object", "properties": ["webhookID": ["type": "integer"], "deliveries": ["type": "array", "items": ref("WebhookDelivery")]]])
        case .caseDisclosures:
            operation["summary"] = "Who saw the reporter's personal data, and when"
            operation["parameters"] = [idParameter]
            ok("200", ["type": "object", "properties": ["disclosures": ["type": "array", "items": ["type": "object"]]]])
        case .caseDuplicates:
            operation["summary"] = "Open cases that may report the same matter (same grid and category, within 7 days, similar text), most alike first: candidates for merge"
            operation["parameters"] = [idParameter]
            ok("200", ["type": "object", "properties": [
                "caseID": ["type": "integer"],
                "candidates": ["type": "array", "items": ["type": "object", "properties": [
                    "similarity": ["type": "number", "minimum": 0, "maximum": 1], "case": ref("Case"),
                ]]],
            ]])
        case .calendar:
            operation["summary"] = "The working calendar file deadlines are counted on (docs/calendar.md)"
            responses["200"] = ["description": "The stored file, or the default calendar's", "content": ["text/plain": ["schema": ["type": "string"]]]]
        case .calendarReplace:
            operation["summary"] = "Replace the working calendar (administrators); applies to deadlines set from now on"
            operation["requestBody"] = ["required": true, "content": ["text/plain": ["schema": ["type": "string", "example": "timezone Asia/Shanghai\nholiday 2026-10-01 2026-10-07 国庆节\nworkday 2026-09-20 国庆调休\n"]]]]
            ok("200", ref("CalendarSummary"))
        case .deadlineSettings:
            operation["summary"] = "The deadline settings in force: the share of a limit after which a clock turns yellow"
            ok("200", ref("DeadlineSettings"))
        case .deadlineSettingsReplace:
            operation["summary"] = "Change the deadline settings (administrators); applies to clocks started from now on"
            operation["requestBody"] = ["required": true].merging(json(ref("DeadlineSettings"))) { a, _ in a }
            ok("200", ref("DeadlineSettings"))
        case .deadlineFigures:
            operation["summary"] = "Deadline figures of the post's area (or department), one row per area below it or per department"
            operation["parameters"] = [
                query("groupBy", "area: one row per area one level below the post's; department: one row per assigned department (default area)", ["type": "string", "enum": ["area", "department"]]),
                query("from", "Reported at or after (date or ISO 8601 time)"),
                query("to", "Reported before (date or ISO 8601 time)"),
            ]
            ok("200", ["type": "object", "properties": [
                "groupBy": ["type": "string"], "from": ["type": "string", "format": "date-time"], "to": ["type": "string", "format": "date-time"],
                "now": ["type": "string", "format": "date-time"], "rows": ["type": "array", "items": ref("DeadlineFigures")], "total": ref("DeadlineFigures"),
            ]])
        }
        operation["responses"] = responses
        return operation
    }

    private static var area: [String: Any] { [
        "type": "object",
        "properties": ["id": ["type": "integer"], "code": ["type": "string"], "name": ["type": "string"], "level": ["type": "string", "enum": names(AdminLevel.self)]],
    ] }

    private static var department: [String: Any] { [
        "type": "object",
        "properties": ["id": ["type": "integer"], "name": ["type": "string"], "kind": ["type": "string"], "level": ["type": "string"], "areaID": ["type": "integer"]],
    ] }

    private static var schemas: [String: Any] { [
        "Error": [
            "type": "object", "required": ["error"],
            "properties": ["error": ["type": "object", "required": ["code", "message"], "properties": [
                "code": ["type": "string"], "message": ["type": "string"], "field": ["type": "string"],
                "currentVersion": ["type": "integer", "description": "On a version conflict: the case's version now"],
            ]]],
        ],
        "LogIn": ["type": "object", "required": ["username", "password"], "properties": ["username": ["type": "string"], "password": ["type": "string"], "postID": ["type": "integer"]]],
        "User": ["type": "object", "properties": ["id": ["type": "integer"], "username": ["type": "string"], "displayName": ["type": "string"], "phone": ["type": "string"]]],
        "Post": ["type": "object", "properties": ["id": ["type": "integer"], "role": ["type": "string", "enum": names(Role.self)], "roleName": ["type": "string"], "area": ref("Area"), "department": ref("Department")]],
        "Session": ["type": "object", "properties": ["token": ["type": "string"], "expiresAt": ["type": "string", "format": "date-time"], "user": ref("User"), "post": ref("Post"), "posts": ["type": "array", "items": ref("Post")]]],
        "Area": area,
        "Department": department,
        "Category": ["type": "object", "properties": [
            "id": ["type": "integer"], "code": ["type": "string"], "name": ["type": "string"], "parentID": ["type": "integer"],
            "platform": ["type": "string", "enum": names(Platform.self)], "kind": ["type": "string", "enum": names(CategoryKind.self)],
            "handlingLevel": ["type": "string"], "departmentKind": ["type": "string"],
            "acceptanceLimit": ["type": "string", "example": "1wd"], "signingLimit": ["type": "string"], "handlingLimit": ["type": "string", "example": "5wd"],
            "escalatesWhenOverdue": ["type": "boolean"],
        ]],
        "GeoPoint": ["type": "object", "required": ["lat", "lng"], "properties": ["lat": ["type": "number", "minimum": -90, "maximum": 90], "lng": ["type": "number", "minimum": -180, "maximum": 180]]],
        "Intake": ["type": "object", "required": ["title"], "properties": [
            "title": ["type": "string", "minLength": 1, "maxLength": 200], "description": ["type": "string", "maxLength": 5000],
            "categoryCode": ["type": "string"], "categoryID": ["type": "integer"],
            "channel": ["type": "string", "enum": names(Channel.self)],
            "location": ref("GeoPoint"), "gridID": ["type": "integer"], "address": ["type": "string"],
            "reporter": ["type": "object", "properties": ["name": ["type": "string"], "phone": ["type": "string"], "idNumber": ["type": "string"]]],
            "solvedOnSpot": ["type": "string", "description": "What was done, when the case is solved at intake"],
        ]],
        "Action": ["type": "object", "required": ["action"], "properties": [
            "action": ["type": "string", "enum": CaseAction.allCases.filter { $0 != .report }.map(\.rawValue)],
            "version": ["type": "integer", "description": "The version the client saw; a different current version answers 409"],
            "note": ["type": "string"], "departmentID": ["type": "integer"], "areaID": ["type": "integer"],
            "watcherUserID": ["type": "integer"], "assistingDepartmentIDs": ["type": "array", "items": ["type": "integer"]],
            "primaryCaseID": ["type": "integer"], "legalRoute": ["type": "string", "enum": names(LegalRoute.self)],
            "rating": ["type": "string", "enum": names(Rating.self)], "evidence": ["type": "array", "items": ["type": "string"]],
            "extendBy": ["type": "string", "description": "For extend: a time limit like 5wd (at most 10wd; 30d once for a petition)"],
        ]],
        "Case": ["type": "object", "properties": [
            "id": ["type": "integer"], "number": ["type": "string"], "version": ["type": "integer"],
            "status": ["type": "string", "enum": names(CaseStatus.self)], "statusName": ["type": "string"],
            "allowedActions": ["type": "array", "items": ["type": "string"]],
            "title": ["type": "string"], "description": ["type": "string"], "category": ref("Category"),
            "platform": ["type": "string"], "channel": ["type": "string"], "location": ref("GeoPoint"), "address": ["type": "string"],
            "areas": ["type": "object", "additionalProperties": ref("Area")],
            "handling": ["type": "object", "properties": ["level": ["type": "string"], "area": ref("Area")]],
            "suggestedDepartment": ref("Department"), "department": ref("Department"),
            "assists": ["type": "array", "items": ["type": "object", "properties": ["department": ref("Department"), "reportedAt": ["type": "string", "format": "date-time"]]]],
            "watcherUserID": ["type": "integer"],
            "reporter": ["type": "object", "properties": ["name": ["type": "string"], "phone": ["type": "string"], "idNumber": ["type": "string"], "masked": ["type": "boolean"]]],
            "finalLevel": ["type": "string"], "rating": ["type": "string"], "primaryCaseID": ["type": "integer"], "legalRoute": ["type": "string"],
            "createdAt": ["type": "string", "format": "date-time"], "updatedAt": ["type": "string", "format": "date-time"],
            "dueAt": ["type": "string", "format": "date-time"], "overdue": ["type": "boolean"],
            "clock": ["type": "object", "description": "The running stage's deadline", "properties": [
                "stage": ["type": "string", "enum": names(DeadlineStage.self)], "startedAt": ["type": "string", "format": "date-time"],
                "yellowAt": ["type": "string", "format": "date-time", "description": "When it turns yellow and its holder is urged"],
                "dueAt": ["type": "string", "format": "date-time"], "colour": ["type": "string", "enum": ["green", "yellow", "red"]],
                "usedSeconds": ["type": "integer"], "leftSeconds": ["type": "integer"], "share": ["type": "number"],
                "suspended": ["type": "boolean"], "lastAlert": ["type": "string", "enum": names(AlertKind.self)],
            ]],
            "extensionCount": ["type": "integer"],
            "reviewCount": ["type": "integer", "description": "Reviews a petitioner asked for: 1 after 复查, 2 after 复核"],
        ]],
        "Notification": ["type": "object", "properties": [
            "id": ["type": "integer"], "userID": ["type": "integer"], "caseID": ["type": "integer"],
            "kind": ["type": "string", "enum": ["urge", "supervise", "dispatch", "dualDispatch", "jointDispatch", "escalate"]],
            "message": ["type": "string"], "createdAt": ["type": "string", "format": "date-time"],
            "readAt": ["type": ["string", "null"], "format": "date-time"],
        ]],
        "DeadlineSettings": ["type": "object", "required": ["yellowShare"], "properties": [
            "yellowShare": ["type": "number", "minimum": DeadlinePlanner.yellowShares.lowerBound, "maximum": DeadlinePlanner.yellowShares.upperBound, "description": "Share of a limit after which a clock turns yellow and its holder is urged (default 0.8)"],
        ]],
        "CalendarSummary": ["type": "object", "properties": [
            "timeZone": ["type": "string", "example": "Asia/Shanghai"], "holidays": ["type": "integer", "description": "Days off"],
            "workdays": ["type": "integer", "description": "Weekend days worked (调休)"],
            "officeHours": ["type": "array", "items": ["type": "string", "example": "08:30-12:00"]],
        ]],
        "DeadlineFigures": ["type": "object", "properties": [
            "area": ref("Area"), "department": ref("Department"),
            "unassigned": ["type": "boolean", "description": "With groupBy=department: the cases no department holds yet"],
            "received": ["type": "integer"], "closed": ["type": "integer", "description": "Closed or archived"],
            "closedOnTime": ["type": "integer", "description": "Closed, fed back no later than due"],
            "onTimeRate": ["type": "number", "description": "closedOnTime / closed; absent when nothing was closed"],
            "overdue": ["type": "integer", "description": "Open and past due now"],
            "handled": ["type": "integer", "description": "Fed back, the base of the average"],
            "averageHandlingHours": ["type": "number", "description": "Report to feedback, in hours; absent when nothing was handled"],
        ]],
        "WebhookRegistration": ["type": "object", "required": ["url", "secret", "events"], "properties": [
            "url": ["type": "string", "format": "uri", "description": "http or https"],
            "secret": ["type": "string", "minLength": 16, "description": "The HMAC key deliveries are signed with"],
            "events": ["type": "array", "minItems": 1, "items": ["type": "string", "enum": WebhookEvents.kinds.map(\.rawValue) + ["*"]], "description": "Event kinds, or [\"*\"] for all"],
        ]],
        "Webhook": ["type": "object", "properties": [
            "id": ["type": "integer"], "url": ["type": "string"], "events": ["type": "array", "items": ["type": "string"]],
            "createdAt": ["type": "string", "format": "date-time"],
        ]],
        "WebhookPayload": ["type": "object", "description": "The body of a delivery", "properties": [
            "id": ["type": "string", "description": "The event's hash: the same event delivered twice has the same id"],
            "kind": ["type": "string", "enum": WebhookEvents.kinds.map(\.rawValue)], "caseID": ["type": "integer"], "sequence": ["type": "integer"],
            "at": ["type": "string", "format": "date-time"], "status": ["type": "string", "enum": names(CaseStatus.self)],
            "handlingLevel": ["type": "string", "enum": names(AdminLevel.self)], "departmentID": ["type": "integer"], "note": ["type": "string"],
        ]],
        "WebhookDelivery": ["type": "object", "properties": [
            "id": ["type": "integer"], "kind": ["type": "string"], "payload": ref("WebhookPayload"), "attempts": ["type": "integer"],
            "nextAttemptAt": ["type": "string", "format": "date-time", "description": "Absent once delivered or given up"],
            "deliveredAt": ["type": "string", "format": "date-time"], "lastError": ["type": "string"],
            "createdAt": ["type": "string", "format": "date-time"],
        ]],
        "TimelineEvent": ["type": "object", "properties": [
            "sequence": ["type": "integer"], "action": ["type": "string"], "fromStatus": ["type": "string"], "toStatus": ["type": "string"],
            "actorUserID": ["type": "integer"], "actorPostID": ["type": "integer"], "actorRole": ["type": "string"],
            "at": ["type": "string", "format": "date-time"], "note": ["type": "string"],
            "details": ["type": "object", "additionalProperties": ["type": "string"]],
            "previousHash": ["type": "string"], "hash": ["type": "string"],
        ]],
    ] }
}
