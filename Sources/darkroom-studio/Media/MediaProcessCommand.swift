import ArgumentParser
import CommandSupport
import Foundation
import Media
import Studio
import Vips
import Workflows

/// `darkroom media process <id> <operation>`: the mediaProcessing workflow.
struct MediaProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Run one operation on a stored image and store the result (derived from it); prints the new media id.",
        discussion: Help.discussion("""
            Local operations are free: resize, thumbnail, format, crop, rotate, flip, watermark,
            plan (a chain in the compact form, e.g. 'orient/resize:800x600:fill/format:webp:q80').
            upscale and remove-background run as ComfyUI templates (--template, default upscale /
            rmbg), charged on the server's run time; a template the servers cannot run is refused
            before any points are held. Servers: --server, else DARKROOM_COMFYUI, else
            http://127.0.0.1:8188.
            """, examples: [
                "darkroom media process m_0123456789abcdef01234567 resize --width 800 --height 600 --fit fill",
                "darkroom media process m_0123456789abcdef01234567 format --format webp --quality 80",
                "darkroom media process m_0123456789abcdef01234567 plan --plan 'orient/thumbnail:256/format:webp'",
                "darkroom media process m_0123456789abcdef01234567 upscale --scale 2 --server http://gpu1:8188",
            ])
    )

    enum Operation: String, ExpressibleByArgument, CaseIterable {
        case resize, thumbnail, format, crop, rotate, flip, watermark, plan, upscale
        case removeBackground = "remove-background"
    }

    @Argument(help: "The media id.") var id: String
    @Argument(help: "resize, thumbnail, format, crop, rotate, flip, watermark, plan, upscale or remove-background.")
    var operation: Operation
    @Option(help: "resize, crop: width in pixels.") var width: Int?
    @Option(help: "resize, crop: height in pixels.") var height: Int?
    @Option(help: "resize: fit (inside the box), fill, attention (fill keeping the interesting part) or force.") var fit = "fit"
    @Option(help: "thumbnail: the box's side.") var size: Int?
    @Option(help: "thumbnail: crop to fill the box with centre, attention or entropy; crop: choose the box with it.") var crop: String?
    @Option(help: "crop: left edge.") var x: Int?
    @Option(help: "crop: top edge.") var y: Int?
    @Option(help: "format: jpeg, png, webp, avif, heif, gif, tiff.") var format: String?
    @Option(help: "format: quality 1 … 100.") var quality: Int?
    @Flag(help: "format: lossless where the format has it.") var lossless = false
    @Flag(help: "format: drop metadata.") var strip = false
    @Option(help: "rotate: 90, 180 or 270.") var degrees: Int?
    @Option(help: "flip: h or v.") var direction: String?
    @Option(help: "watermark: the text.") var text: String?
    @Option(help: "watermark: topLeft, top, topRight, left, centre, right, bottomLeft, bottom, bottomRight.") var position = "bottomRight"
    @Option(help: "watermark: opacity above 0, at most 1.") var opacity = 0.6
    @Option(help: "plan: the steps in the compact form.") var plan: String?
    @Option(help: "upscale: the factor, above 1 and at most 8.") var scale = 2.0
    @Option(help: "upscale, remove-background: the template.") var template: String?
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var serverOptions: ServerOptions
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "No progress lines on standard error.") var quiet = false

    struct Report: Encodable {
        var output: MediaRecord
        var input: String
        var cost: Int
        var runSeconds: Double
        var runs: Int
    }

    func run() async throws {
        let mediaOperation = try self.mediaOperation()
        let user = try dataOptions.userID()
        let composition = try await Composition(dataOptions)
        let workflow = composition.mediaProcessing(servers: try serverOptions.urls(), requestTimeout: serverOptions.timeout)
        let showProgress = !quiet && !json
        do {
            let result = try await workflow.run(.init(user: user, input: .stored(id), operation: mediaOperation)) { progress in
                guard showProgress else { return }
                switch progress {
                case .held(let points): Console.errorLine("held \(points) points")
                case .tile(let index, let count) where count > 1: Console.errorLine("tile \(index) of \(count)")
                default: break
                }
            }
            if json {
                return JSONOutput.print(Report(output: result.output, input: result.input.id, cost: result.cost,
                                               runSeconds: result.runSeconds, runs: result.runs))
            }
            Console.line(MediaRecordOutput.line(result.output))
            if result.runs > 0 {
                let points = result.cost == 1 ? "1 point" : "\(result.cost) points"
                Console.line(String(format: "charged %@ for %.2f s of ComfyUI time in %d run%@", points, result.runSeconds,
                                    result.runs, result.runs == 1 ? "" : "s"))
            }
        } catch {
            throw WorkflowExit.failure(WorkflowError(error))
        }
    }

    /// The operation the options describe; a usage error names what is missing or wrong.
    func mediaOperation() throws -> MediaOperation {
        func strategy(_ text: String) throws -> CropStrategy {
            guard let value = CropStrategy(rawValue: text) else {
                throw ValidationError("--crop must be one of \(CropStrategy.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            }
            return value
        }
        func need<Value>(_ value: Value?, _ option: String) throws -> Value {
            guard let value else { throw ValidationError("\(operation.rawValue) needs \(option)") }
            return value
        }
        switch operation {
        case .resize:
            guard let fit = TransformStep.Fit(rawValue: fit) else {
                throw ValidationError("--fit must be one of \(TransformStep.Fit.allCases.map(\.rawValue).joined(separator: ", ")), not '\(fit)'")
            }
            guard width != nil || height != nil else { throw ValidationError("resize needs --width, --height or both") }
            return .resize(width: width, height: height, fit: fit)
        case .thumbnail:
            return .thumbnail(size: try need(size, "--size"), crop: try crop.map(strategy))
        case .format:
            let name = try need(format, "--format")
            guard let format = ImageFormat(rawValue: name == "jpg" ? "jpeg" : name) else {
                throw ValidationError("--format must be one of \(ImageFormat.allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'")
            }
            return .format(OutputSpec(format: format, quality: quality, lossless: lossless, stripMetadata: strip))
        case .crop:
            let (width, height) = (try need(width, "--width"), try need(height, "--height"))
            if let crop { return .smartCrop(width: width, height: height, strategy: try strategy(crop)) }
            return .crop(x: try need(x, "--x (or --crop with a strategy)"), y: try need(y, "--y"), width: width, height: height)
        case .rotate:
            return .rotate(degrees: try need(degrees, "--degrees"))
        case .flip:
            switch try need(direction, "--direction") {
            case "h", "horizontal": return .flip(.horizontal)
            case "v", "vertical": return .flip(.vertical)
            case let other: throw ValidationError("--direction must be h or v, not '\(other)'")
            }
        case .watermark:
            guard let placement = Placement(rawValue: position) else {
                throw ValidationError("--position must be one of \(Placement.allCases.map(\.rawValue).joined(separator: ", ")), not '\(position)'")
            }
            return .watermark(text: try need(text, "--text"), position: placement, opacity: opacity)
        case .plan:
            do { return .plan(try TransformPlan(parsing: try need(plan, "--plan"))) } catch let error as MediaError {
                throw ValidationError(error.message)
            }
        case .upscale:
            return .upscale(scale: scale, template: template)
        case .removeBackground:
            return .removeBackground(template: template)
        }
    }
}
