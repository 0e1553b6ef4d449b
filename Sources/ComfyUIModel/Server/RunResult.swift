public import Foundation

/// A finished, successful run: its images with their bytes, the server's run time and whether
/// everything came from the cache.
public struct RunResult: Sendable, Equatable {
    public struct Image: Sendable, Equatable {
        public var node: String
        public var file: OutputImage
        public var bytes: Data

        public init(node: String, file: OutputImage, bytes: Data) {
            self.node = node
            self.file = file
            self.bytes = bytes
        }
    }

    public var promptID: String
    public var images: [Image]
    /// From the server's `execution_start` and `execution_success` timestamps, never more than
    /// the time the client itself waited for the run.
    public var runSeconds: Double
    /// Whether the server served every node from its cache (an identical resubmission).
    public var cached: Bool

    public init(promptID: String, images: [Image], runSeconds: Double, cached: Bool) {
        self.promptID = promptID
        self.images = images
        self.runSeconds = runSeconds
        self.cached = cached
    }
}
