/// A command's failure: one line on standard error and a documented exit code.
public struct Failure: Error {
    /// Exit codes, in the spirit of sysexits.h.
    public enum Status: Int32, Sendable {
        case partial = 1
        case usage = 64
        case input = 65
        case unavailable = 69
        case processing = 70
        case timedOut = 75
        case interrupted = 130
    }

    public var status: Status
    public var message: String

    public init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }

    /// Prints the line and returns the exit code.
    public func report() -> Int32 {
        Console.errorLine("darkroom: \(message)")
        return status.rawValue
    }
}
