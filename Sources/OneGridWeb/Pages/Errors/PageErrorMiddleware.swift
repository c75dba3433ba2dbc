import Foundation
import Hummingbird
import Logging
import OneGridDomain
import OneGridStore

/// Answers every failure of a page with a page: sign in first, 403, 404 (which shows nothing of
/// what was asked for, so a case of another town cannot be told from no case at all), a refused
/// form, the database out of reach (503) or full (507), or a 500 that says only that the
/// failure is logged.
struct PageErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The paths whose errors other audiences format (the API answers in JSON).
    let otherAudiences: [String]
    let renderer: PageRenderer
    /// Failures repeat alike during an outage: each kind is written once per interval.
    let log: RepeatedLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard !otherAudiences.contains(where: { path.hasPrefix($0) }) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch PageError.signInRequired {
            let back = request.method == .get ? request.uri.description : SiteURL.home.path
            return PageRenderer.redirect(to: SiteURL.signIn.with([("next", back)]))
        } catch PageError.forbidden {
            return errorPage(.forbidden, "forbidden", request)
        } catch PageError.formRefused {
            return errorPage(.forbidden, "formRefused", request)
        } catch PageError.notFound {
            return errorPage(.notFound, "notFound", request)
        } catch let error as DomainError where error.code == .notFound {
            return errorPage(.notFound, "notFound", request)
        } catch let error as DomainError where error.code == .forbidden {
            return errorPage(.forbidden, "forbidden", request)
        } catch let error as DomainError {
            context.logger.notice("page refused", metadata: ["error": "\(error.message)", "path": "\(path)"])
            return errorPage(.unprocessableContent, "invalid", request)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            return errorPage(.notFound, "notFound", request)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return errorPage(.contentTooLarge, "tooLarge", request)
        } catch {
            switch DatabaseFault(error) {
            case .unavailable:
                log.log(.warning, DatabaseFault.unavailable.logMessage, error: error, to: context.logger)
                var page = errorPage(.serviceUnavailable, "unavailable", request)
                page.headers[.retryAfter] = String(APIError.databaseRetryAfter)
                return page
            case .full:
                log.log(.warning, DatabaseFault.full.logMessage, error: error, to: context.logger)
                return errorPage(.insufficientStorage, "storageFull", request)
            case nil:
                log.log(.error, "page failed", error: error, metadata: ["path": "\(path)"], to: context.logger)
                return errorPage(.internalServerError, "internal", request)
            }
        }
    }

    /// The error page: the layout without anyone's name or data, the reason, a way back.
    private func errorPage(_ status: HTTPResponse.Status, _ kind: String, _ request: Request) -> Response {
        let language =
            request.uri.queryParameters.get("lang").flatMap(Language.init(code:))
            ?? request.cookies[PageSessionMiddleware.languageCookie].flatMap { Language(code: $0.value) } ?? .zhCN
        let t = renderer.translation(language)
        // No form token, no post: an error page offers nothing to act on and shows no one's data.
        let layout = Layout(
            title: t.text("error.\(kind).title"), path: request.uri.path, query: nil, language: language, formToken: "", principal: nil,
            renderer: renderer)
        let page = ErrorPage(
            status: status.code, title: t.text("error.\(kind).title"), message: t.text("error.\(kind).message"),
            homeURL: SiteURL.home.path, signInURL: SiteURL.signIn.path)
        return renderer.render("error", page, layout: layout, status: status)
    }
}

struct ErrorPage {
    var status: Int
    var title: String
    var message: String
    var homeURL: String
    var signInURL: String
}
