public import ComfyUIModel
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import Media
public import Studio
public import Vips

/// The mediaProcessing workflow: one operation on one of a user's images, the result stored as
/// a new media record derived from it.
///
/// Local operations (resize, thumbnail, format, crop, rotate, flip, watermark, any plan) run
/// with the image library and cost nothing. Upscaling and background removal run as ComfyUI
/// templates: the template is checked against the servers first (a node class or model they
/// lack is `template_unavailable`, before anything is reserved), points are held, the work runs
/// (an image larger than the template's tile size in overlapping tiles, joined with feathered
/// seams), and the hold is settled on the server's real run time, or released on any failure.
public struct MediaProcessing: Sendable {
    /// What the workflow is built on; the composition root picks the implementations.
    public struct Dependencies: Sendable {
        public var media: MediaService
        public var points: PointsService
        public var catalogue: WorkflowCatalogue
        public var generator: any ImageGenerating
        /// Longest one ComfyUI run (one tile) may take.
        public var runDeadline: Duration

        public init(media: MediaService, points: PointsService, catalogue: WorkflowCatalogue, generator: any ImageGenerating,
                    runDeadline: Duration = .seconds(600)) {
            self.media = media
            self.points = points
            self.catalogue = catalogue
            self.generator = generator
            self.runDeadline = runDeadline
        }
    }

    /// One operation on one image, for one user.
    public struct Request: Sendable {
        public var user: UserID
        public var input: MediaInput
        public var operation: MediaOperation
        /// The points job id (idempotency key of its hold and settlement).
        public var job: String

        public init(user: UserID, input: MediaInput, operation: MediaOperation, job: String = "media-\(UUID().uuidString.lowercased())") {
            self.user = user
            self.input = input
            self.operation = operation
            self.job = job
        }
    }

    /// What the request produced.
    public struct Result: Sendable {
        /// The stored result.
        public var output: MediaRecord
        /// The stored input (new for an upload or a URL).
        public var input: MediaRecord
        /// Points charged: 0 for local operations.
        public var cost: Int
        /// ComfyUI's run time, summed over the tiles.
        public var runSeconds: Double
        /// ComfyUI runs made: 0 for local operations, 1 for a whole image, more for tiles.
        public var runs: Int
    }

    public let dependencies: Dependencies

    public init(_ dependencies: Dependencies) { self.dependencies = dependencies }

    /// Runs `request`. Every error is a ``WorkflowError``.
    public func run(_ request: Request, onProgress: @escaping @Sendable (MediaProcessingProgress) -> Void = { _ in }) async throws -> Result {
        do {
            let input = try await dependencies.media.stored(request.input, owner: request.user)
            onProgress(.inputReady(mediaID: input.id, width: input.width ?? 0, height: input.height ?? 0))
            if let plan = request.operation.localPlan {
                let output = try await dependencies.media.transform(input.id, owner: request.user, plan: plan)
                return Result(output: output, input: input, cost: 0, runSeconds: 0, runs: 0)
            }
            return try await generate(request, input: input, onProgress: onProgress)
        } catch {
            throw WorkflowError(error)
        }
    }

    /// The ComfyUI operations: check, hold, run (tiled when large), store, settle; release on failure.
    private func generate(_ request: Request, input: MediaRecord,
                          onProgress: @escaping @Sendable (MediaProcessingProgress) -> Void) async throws -> Result {
        let job = try await ComfyUIJob(request, input: input, dependencies: dependencies)
        do { try await dependencies.generator.check(job.entry.template, values: job.values) } catch let error as ComfyUIError
            where error.code == .graphRejected {
            let problems = error.problems.map(\.description)
            throw WorkflowError(.templateUnavailable, "template '\(job.entry.name)' cannot run on the ComfyUI servers: "
                                + error.problems.map(\.message).joined(separator: "; "), problems: problems)
        }
        let estimate = job.estimate(policy: dependencies.points.policy)
        try await dependencies.points.hold(user: request.user, job: request.job, estimate: estimate)
        onProgress(.held(points: estimate))
        do {
            let (data, runSeconds, runs) = try await job.run(generator: dependencies.generator, deadline: dependencies.runDeadline,
                                                             workers: dependencies.media.dependencies.workers, onProgress: onProgress)
            onProgress(.finishing)
            let output = try await dependencies.media.add(data, owner: request.user, source: "comfyui:\(job.entry.name)",
                                                          derivedFrom: input.id)
            let hold = try await dependencies.points.settle(job: request.job, runSeconds: runSeconds,
                                                            pointsPerSecond: job.entry.pricing.pointsPerSecond)
            return Result(output: output, input: input, cost: hold.cost ?? 0, runSeconds: runSeconds, runs: runs)
        } catch {
            // Released in a task of its own, so that a cancelled request still frees its points.
            let points = dependencies.points, job = request.job
            await Task { _ = try? await points.release(job: job) }.value
            throw error
        }
    }
}
