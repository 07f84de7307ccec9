import AtriumCore
@testable import AtriumHTTP
import Hummingbird
import Logging
import NIOEmbedded
import Testing

@Suite struct APIErrorTests {
    @Test(arguments: [
        (AtriumError.Code.validationFailed, 400, "BadRequestException"),
        (.badRequest, 400, "BadRequestException"),
        (.unauthenticated, 401, "UnauthorizedException"),
        (.forbidden, 403, "ForbiddenException"),
        (.notFound, 404, "NotFoundException"),
        (.conflict, 409, "ConflictException"),
        (.unavailable, 503, "ServiceUnavailableException"),
        (.internalError, 500, "InternalServerErrorException"),
    ])
    func domainCodesMapToTwentysStatusesAndNames(code: AtriumError.Code, status: Int, name: String) {
        let error = APIError(AtriumError(code, "message"))
        #expect(error.status.code == status)
        #expect(error.exceptionName == name)
        #expect(error.messages == ["message"])
        #expect(error.code == code.description)
    }
}

/// Every 503 tells the client when to come back, whichever layer answers it: a GraphQL error raised before the
/// request runs (an authentication read that timed out) or the executor's own outage answer.
@Suite struct GraphQLUnavailableTests {
    @Test(arguments: [AtriumError.Code.unavailable, .timeout, .retryable])
    func aGraphQLErrorMiddleware503CarriesRetryAfter(code: AtriumError.Code) async throws {
        let middleware = GraphQLErrorMiddleware<BasicRequestContext>()
        let request = Request(head: .init(method: .post, scheme: "http", authority: "localhost", path: "/graphql"), body: .init(buffer: .init()))
        let context = BasicRequestContext(source: .init(channel: EmbeddedChannel(), logger: .init(label: "test")))
        let response = try await middleware.handle(request, context: context) { _, _ in throw AtriumError(code, "PostgreSQL is unreachable") }
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.retryAfter] == "1")
    }

    @Test func aGraphQLAnswerOtherThan503HasNoRetryAfter() {
        #expect(GraphQLController.json("{}", status: .ok).headers[.retryAfter] == nil)
        #expect(GraphQLController.json("{}", status: .serviceUnavailable).headers[.retryAfter] == "1")
    }
}
