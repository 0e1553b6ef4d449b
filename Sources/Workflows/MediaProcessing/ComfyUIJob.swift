import ComfyUIModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Media
import Studio
import Vips

/// A ComfyUI-backed media operation, planned before anything is reserved: the template (of the
/// right kind), its values, the input's bytes and size, and for a large image the tile grid.
struct ComfyUIJob: Sendable {
    let entry: CatalogueEntry
    let values: [String: JSONValue]
    let data: Data
    let width: Int
    let height: Int
    /// The input's format, from its header.
    let inputFormat: ImageFormat?
    /// The factor asked for (1 for background removal).
    let scale: Double
    /// `nil`: the image goes whole.
    let grid: TileGrid?

    /// Most an upscale may enlarge.
    static let maximumScale = 8.0

    init(_ request: MediaProcessing.Request, input: MediaRecord, dependencies: MediaProcessing.Dependencies) async throws {
        let kind: WorkflowTemplate.Kind, name: String
        switch request.operation {
        case .upscale(let scale, let template):
            guard scale > 1, scale <= Self.maximumScale else {
                throw WorkflowError(.invalidParams, "upscale: the scale must be above 1 and at most \(Int(Self.maximumScale)), not \(scale)")
            }
            (kind, name, self.scale) = (.upscale, template ?? "upscale", scale)
        case .removeBackground(let template):
            (kind, name, self.scale) = (.rmbg, template ?? "rmbg", 1)
        default:
            throw WorkflowError(.invalidParams, "\(request.operation.name) is not a ComfyUI operation")
        }
        entry = try await dependencies.catalogue.entry(named: name)
        guard entry.template.kind == kind else {
            throw WorkflowError(.invalidParams, "template '\(name)' is a \(entry.template.kind.rawValue) template, not \(kind.rawValue)")
        }
        guard input.kind == .image else { throw WorkflowError(.unsupportedMedia, "media \(input.id) is not an image") }
        data = try await dependencies.media.data(input.id, owner: request.user).data
        // The image goes upright: its size as it will be seen.
        let header = try await dependencies.media.inspect(data)
        let (width, height) = (5...8).contains(header.orientation) ? (header.height, header.width) : (header.width, header.height)
        let limit = dependencies.media.policy.limits.maxPixels
        let (outWidth, outHeight) = (Double(width) * scale, Double(height) * scale)
        guard outWidth * outHeight <= Double(limit) else {
            throw WorkflowError(.mediaTooLarge, "\(width)×\(height) scaled by \(scale) would have \(Int(outWidth * outHeight)) pixels, more than the limit of \(limit)")
        }
        var values: [String: JSONValue] = [:]
        if kind == .upscale, entry.template.inputs["scale"] != nil { values["scale"] = .number(scale) }
        self.values = values
        self.width = width
        self.height = height
        inputFormat = header.format
        if let tiling = entry.tiling, width > tiling.size || height > tiling.size {
            grid = try TileGrid(width: width, height: height, tileSize: tiling.size, overlap: tiling.overlap)
        } else {
            grid = nil
        }
    }

    /// The hold: the template's fixed estimate per run, or the policy's formula for the output's area.
    func estimate(policy: PointsPolicy) -> Int {
        if let fixed = entry.pricing.estimate { return max(1, fixed * (grid?.tiles.count ?? 1)) }
        return policy.estimate(isTextToImage: false, width: Int(Double(width) * scale), height: Int(Double(height) * scale),
                               steps: 20, batch: 1)
    }

    /// Sends the image (or each tile) through the template and returns the encoded result, the
    /// server's run time summed, and the number of runs.
    func run(generator: any ImageGenerating, deadline: Duration, workers: ImageWorkerPool,
             onProgress: @escaping @Sendable (MediaProcessingProgress) -> Void) async throws -> (Data, Double, Int) {
        let (data, grid) = (self.data, self.grid)
        let pieces: [Data] = try await workers.run {
            let image = try Image(data: data).autoRotate()
            guard let grid else { return [try image.data(format: .png)] }
            return try image.materialized().split(into: grid).map { try $0.data(format: .png) }
        }
        var outputs: [Data] = [], runSeconds = 0.0
        for (index, piece) in pieces.enumerated() {
            try Task.checkCancellation()
            onProgress(.tile(index: index + 1, count: pieces.count))
            let result = try await generator.run(entry.template, values: values, images: ["image": piece], deadline: deadline) {
                onProgress(.generation($0))
            }
            guard let image = result.images.first else {
                throw WorkflowError(.generationFailed, "template '\(entry.name)' saved no image")
            }
            outputs.append(image.bytes)
            runSeconds += result.runSeconds
        }
        let collected = outputs
        let encoded = try await workers.run { try assemble(collected) }
        return (encoded, runSeconds, pieces.count)
    }

    /// Joins the tiles (or takes the one result), brings it to the size asked for, and encodes it
    /// in the input's format when that keeps what the result holds (alpha needs PNG or WebP).
    private func assemble(_ outputs: [Data]) throws -> Data {
        let images = try outputs.map { try Image(data: $0).materialized() }
        var result: Image
        if let grid {
            let measured = Double(images[0].width) / Double(grid.tiles[0].width)
            result = try Image.join(tiles: images, grid: grid, scale: measured)
        } else {
            result = images[0]
        }
        let target = (Int((Double(width) * scale).rounded()), Int((Double(height) * scale).rounded()))
        if abs(result.width - target.0) > 1 || abs(result.height - target.1) > 1 {
            result = try result.thumbnail(width: target.0, options: ThumbnailOptions(height: target.1, resizing: .force, autoRotate: false))
        }
        let format: ImageFormat = switch inputFormat {
        case .jpeg where !result.hasAlpha: .jpeg
        case .webp: .webp
        default: .png
        }
        return try result.data(format: format, options: SaveOptions(quality: format == .png ? nil : 92))
    }
}
