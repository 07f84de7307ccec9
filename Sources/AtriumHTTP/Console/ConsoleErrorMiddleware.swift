import AtriumCore
import HTTPTypes
import Hummingbird
import Logging

/// Turns what console handlers throw into pages: ``ConsoleRedirect`` into a 303, ``AtriumError`` and Hummingbird's
/// `HTTPError` into an HTML error page with the same status the API would answer (400, 403, 404, 409 …), anything
/// else into a 500 page (logged, details never shown).
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let templates: ConsoleTemplates

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as ConsoleRedirect {
            return ConsoleResponses.redirect(redirect.location, cookies: redirect.cookies)
        } catch let error as AtriumError {
            let status = APIError(error).status
            if status == .internalServerError { context.logger.error("console: \(error)") }
            return errorPage(status: status, message: status == .internalServerError ? "Something went wrong on our side." : error.message)
        } catch let error as HTTPError {
            return errorPage(status: error.status, message: error.body ?? error.status.reasonPhrase)
        } catch {
            context.logger.error("console: \(String(reflecting: error))")
            return errorPage(status: .internalServerError, message: "Something went wrong on our side.")
        }
    }

    private func errorPage(status: HTTPResponse.Status, message: String) -> Response {
        let title = status == .notFound ? "Not found" : status == .forbidden ? "Not allowed" : status.reasonPhrase
        return templates.page("error", ["title": title, "status": status.code, "message": message], status: status)
    }
}
