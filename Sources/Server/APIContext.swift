public import Hummingbird
public import Studio

/// The request context of the API: Hummingbird's core storage and the key that authenticated.
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's key, set by ``AuthMiddleware``.
    public var key: APIKey?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The authenticated key; `unauthorized` when there is none (a route outside the middleware).
    public func requireKey() throws -> APIKey {
        guard let key else { throw APIError.unauthorized("this endpoint needs an API key: Authorization: Bearer <key>") }
        return key
    }

    /// `user` if the key may act for them; `forbidden` otherwise (a key of another platform).
    public func user(_ text: String) throws -> UserID {
        guard let user = UserID(text) else {
            throw APIError(.badRequest, "invalid_params", "'\(text)' is not a user id (platform:id, e.g. telegram:5472638766)")
        }
        let key = try requireKey()
        guard key.mayAct(for: user) else {
            throw APIError.forbidden("key \(key.id) acts for \(key.role == .admin ? "everyone" : "users of \(key.platform ?? "no platform")"), not \(user)")
        }
        return user
    }

    /// The `:user` of the path, if the key may act for them (see ``user(_:)``).
    public func pathUser() throws -> UserID { try user(parameters.get("user") ?? "") }

    /// Refused unless the key is an admin key.
    public func requireAdmin() throws {
        let key = try requireKey()
        guard key.role == .admin else { throw APIError.forbidden("key \(key.id) is not an admin key") }
    }
}
