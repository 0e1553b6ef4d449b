import Foundation
import Vips
import Workflows

// makeImage's post-processing of a generated batch, as the workflow does it (one image after the
// other, in one process): upright, sRGB, a watermark, a 256 px WebP preview, the image as WebP.
// The library side of `Benchmarks/compare-media.sh`'s batch row.
//     make-post <output-folder> <image>…
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: make-post <output-folder> <image>…\n".utf8))
    exit(64)
}
var configuration = VipsConfiguration()
configuration.loadModulesOnDemand = true
VipsRuntime.configure(configuration)
let folder = URL(fileURLWithPath: arguments[1])
let processor = ImagePostProcessor(format: .webp, watermark: "darkroom", limits: Limits())
do {
    for (index, path) in arguments.dropFirst(2).enumerated() {
        let (image, preview) = try processor.process(try Data(contentsOf: URL(fileURLWithPath: path)))
        try image.write(to: folder.appendingPathComponent("image-\(index + 1).webp"))
        try preview.write(to: folder.appendingPathComponent("preview-\(index + 1).webp"))
    }
} catch {
    FileHandle.standardError.write(Data("make-post: \(error)\n".utf8))
    exit(70)
}
