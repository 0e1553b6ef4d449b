import ComfyUI
import ComfyUIModel
import Foundation
import Media
import Studio
import StudioSQLite
import Workflows

// What makeImage adds to a job beyond what the ComfyUI client already does: the same text2img
// job (64², a new seed each, so nothing is cached) run N times through `ComfyUIRunner` alone and
// N times through `MakeImage` (settings, the check against the server's lists, hold, job
// records, queue position, post-processing to PNG with a preview, storage, settlement, history),
// interleaved, on a fresh SQLite file and content folder. Prints one JSON line of medians per job,
// with makeImage's time split at its progress reports: up to the hold (settings, check, hold, job
// record), the submission, the run until the outputs are in, and the finish (post-processing,
// storage, settlement, history).
//     make-overhead <server-url> <jobs> <templates-folder> [checkpoint lora]
let arguments = CommandLine.arguments
guard arguments.count >= 4, let url = URL(string: arguments[1]), let jobs = Int(arguments[2]), jobs > 0 else {
    FileHandle.standardError.write(Data("usage: make-overhead <server-url> <jobs> <templates-folder> [checkpoint lora]\n".utf8))
    exit(64)
}
let checkpoint = arguments.count > 4 ? arguments[4] : "tiny-random-sd15.safetensors"
let lora = arguments.count > 5 ? arguments[5] : "tiny-random-lora.safetensors"
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("make-overhead-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: folder) }
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let database = try StudioDatabase(path: folder.appendingPathComponent("studio.sqlite").path)
let points = PointsService(store: database.points)
let catalogue = WorkflowCatalogue(store: database.templates)
try await catalogue.seed(from: URL(fileURLWithPath: arguments[3]))
let media = MediaService(.init(records: database.media, content: try LocalContentStore(folder: folder.appendingPathComponent("media"))))
let runner = ComfyUIRunner(pool: ComfyUIPool(servers: [url]))
let workflow = MakeImage(.init(sessions: SessionService(store: database.sessions, points: points), points: points, catalogue: catalogue,
                               jobs: database.jobs, media: media, generator: runner))
let user = UserID("bench:1")!
_ = try await points.setStanding(5_000_000, of: user)
_ = try await points.addCredits(100_000_000, to: user, key: "bench")
let template = try await catalogue.entry(named: "text2img").template
let settings: [String: SettingValue] = ["checkpoint": .string(checkpoint), "width": .int(64), "height": .int(64), "steps": .int(1),
                                        "watermark": .bool(false)]

func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

var runnerWall: [Double] = [], runnerServer: [Double] = [], makeWall: [Double] = [], makeServer: [Double] = []
var phases: [String: [Double]] = [:]
let clock = ContinuousClock()

/// When makeImage reported each step of one job.
final class Marks: @unchecked Sendable {
    // @unchecked: written by the progress callback, read after the run returned.
    private let lock = NSLock()
    private var instants: [String: ContinuousClock.Instant] = [:]
    func mark(_ name: String) { lock.withLock { if instants[name] == nil { instants[name] = ContinuousClock.now } } }
    subscript(name: String) -> ContinuousClock.Instant? { lock.withLock { instants[name] } }
}
for index in 0..<(jobs + 2) {
    let seed = Int64(UInt32.random(in: 0...UInt32.max))
    let values: [String: JSONValue] = ["prompt": "a lighthouse", "negative_prompt": "", "checkpoint": .string(checkpoint),
                                       "width": 64, "height": 64, "steps": 1, "batch": 1, "cfg": 7.0, "sampler": "euler",
                                       "scheduler": "normal", "seed": .integer(seed), "lora": .string(lora)]
    var start = clock.now
    let direct = try await runner.run(template, values: values.filter { template.inputs[$0.key] != nil }, images: [:],
                                      deadline: .seconds(120), onEvent: { _ in })
    let directWall = seconds(clock.now - start)
    start = clock.now
    let marks = Marks()
    let made = try await workflow.run(.init(user: user, prompt: "a lighthouse", settings: settings.merging(["seed": .int(seed + 1)]) { $1 },
                                              inputs: ["lora": .string(lora)])) { progress in
        switch progress {
        case .held: marks.mark("held")
        case .queued: marks.mark("queued")
        case .finishing: marks.mark("finishing")
        case .generation: break
        }
    }
    let end = clock.now
    let madeWall = seconds(end - start)
    guard index >= 2 else { continue }  // warm-up: connections, the kept /object_info, the database
    runnerWall.append(directWall)
    runnerServer.append(direct.runSeconds)
    makeWall.append(madeWall)
    makeServer.append(made.runSeconds)
    if let held = marks["held"], let queued = marks["queued"], let finishing = marks["finishing"] {
        phases["to_hold", default: []].append(seconds(held - start))
        phases["submit", default: []].append(seconds(queued - held))
        phases["run", default: []].append(seconds(finishing - queued))
        phases["finish", default: []].append(seconds(end - finishing))
    }
}
let runnerBeyond = zip(runnerWall, runnerServer).map { $0 - $1 }, makeBeyond = zip(makeWall, makeServer).map { $0 - $1 }
print(#"{"jobs": \#(jobs), "runner_wall_ms": \#(median(runnerWall) * 1000), "runner_beyond_server_ms": \#(median(runnerBeyond) * 1000), "#
      + #""make_image_wall_ms": \#(median(makeWall) * 1000), "make_image_beyond_server_ms": \#(median(makeBeyond) * 1000), "#
      + #""server_ms": \#(median(makeServer) * 1000), "make_image_phases_ms": {"#
      + phases.sorted { $0.key < $1.key }.map { #""\#($0.key)": \#(median($0.value) * 1000)"# }.joined(separator: ", ") + "}}")
