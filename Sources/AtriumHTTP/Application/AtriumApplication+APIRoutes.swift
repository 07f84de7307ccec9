import AtriumCore
import Hummingbird

extension AtriumApplication {
    /// The API groups: everything under `/rest`, `/graphql` and `/metadata` sits behind `authentication`.
    ///
    /// Controllers register on these groups (e.g. `RecordsController(…).addRoutes(to: rest)`). Until they exist the
    /// groups are empty, so those paths still answer 404.
    static func addAPIRoutes(to router: Router<AppRequestContext>, authentication: AuthenticationMiddleware) {
        let rest = router.group("rest").add(middleware: authentication)
        let graphQL = router.group("graphql").add(middleware: authentication)
        let metadata = router.group("metadata").add(middleware: authentication)
        _ = (rest, graphQL, metadata)
    }
}
