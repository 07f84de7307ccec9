import AtriumCore
@testable import AtriumHTTP
import Hummingbird
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
