/// What a failed call says it needs: how long to wait, or where a group moved.
public struct ResponseParameters: Codable, Sendable, Equatable {
    public var retryAfter: Int?
    public var migrateToChatID: Int64?

    public init(retryAfter: Int? = nil, migrateToChatID: Int64? = nil) {
        self.retryAfter = retryAfter
        self.migrateToChatID = migrateToChatID
    }

    enum CodingKeys: String, CodingKey { case retryAfter = "retry_after", migrateToChatID = "migrate_to_chat_id" }
}
