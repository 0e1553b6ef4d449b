import Foundation
import Media
import Vips

// Runs one Media transform plan on a file, as `darkroom image` runs one command: the plan side
// of `Benchmarks/compare-media.sh`. Usage: media-plan <input> <output> <plan>
let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: media-plan <input> <output> <plan>\n".utf8))
    exit(64)
}
var configuration = VipsConfiguration()
configuration.loadModulesOnDemand = true
VipsRuntime.configure(configuration)
do {
    let output = try TransformPlan(parsing: arguments[3]).run(onFile: arguments[1])
    try output.data.write(to: URL(fileURLWithPath: arguments[2]))
} catch {
    FileHandle.standardError.write(Data("media-plan: \(error)\n".utf8))
    exit(70)
}
