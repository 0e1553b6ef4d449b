// The vips-bench pipeline through the Vips binding, as one process, so the comparison script
// can time it beside pyvips, Pillow and ImageMagick doing the same:
// load a TIFF, crop 100 px from each edge, shrink to 90 %, 3×3 sharpen, save a TIFF.
import Foundation
import Vips

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: vips-bench <input.tif> <output.tif>\n".utf8))
    exit(64)
}
do {
    let image = try Image(contentsOfFile: arguments[1], options: LoadOptions(limits: .unlimited, access: .sequential))
    try image.crop(left: 100, top: 100, width: image.width - 200, height: image.height - 200)
        .resize(scale: 0.9, kernel: .linear)
        .convolve(kernel: [[-1, -1, -1], [-1, 16, -1], [-1, -1, -1]], scale: 8)
        .save(to: arguments[2])
} catch {
    FileHandle.standardError.write(Data("vips-bench: \(error)\n".utf8))
    exit(1)
}
