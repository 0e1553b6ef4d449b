/// A message.
public struct Message: Codable, Sendable, Equatable {
    public var messageID: Int
    public var from: User?
    public var chat: Chat
    public var date: Int
    public var text: String?
    public var caption: String?
    public var photo: [PhotoSize]?
    public var document: Document?
    public var mediaGroupID: String?

    public init(messageID: Int, from: User?, chat: Chat, date: Int, text: String? = nil, caption: String? = nil,
                photo: [PhotoSize]? = nil, document: Document? = nil, mediaGroupID: String? = nil) {
        self.messageID = messageID
        self.from = from
        self.chat = chat
        self.date = date
        self.text = text
        self.caption = caption
        self.photo = photo
        self.document = document
        self.mediaGroupID = mediaGroupID
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", from, chat, date, text, caption, photo, document, mediaGroupID = "media_group_id"
    }
}
