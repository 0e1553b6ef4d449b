/// Why a job (a generation, a training) ended without its result: a stable code and a message.
public struct JobFailure: Sendable, Codable, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
