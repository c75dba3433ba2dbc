import Hummingbird
import OneGridApplication
import OneGridDomain
import OneGridStore

extension CaseController {
    /// Every case the list's filters match, as a CSV spreadsheet or NDJSON, streamed.
    @Sendable func export(_ request: Request, context: SignedInContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        let format = try ExportFormat.asked(parameters) ?? .csv
        let query = try caseQuery(parameters)
        let language = Language(acceptLanguage: request.headers[.acceptLanguage])
        let export = CaseExport(services: services, format: format, translation: try PageResources.bundled.get().translation(language))
        return export.response(query, for: context.principal.post)
    }
}
