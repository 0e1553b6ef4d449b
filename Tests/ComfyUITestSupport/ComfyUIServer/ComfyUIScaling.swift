import Foundation
import Vips

/// ImageScaleBy as ComfyUI computes it: the new size is Python's `round(side × scale_by)`
/// (halves to even), pixels are float32 `value / 255`, resampled by
/// `torch.nn.functional.interpolate` (`bilinear`: `align_corners=False`, no antialiasing;
/// `nearest-exact`), and SaveImage's `clip(255 × x).astype(uint8)` truncates. The other methods
/// (area, bicubic, lanczos, bislerp) are not implemented here and fail the node as an unknown
/// mode would.
enum ComfyUIScaling {
    struct UnsupportedMethod: Error { var method: String }

    static func scaled(_ image: Image, by scale: Double, method: String) throws -> Image {
        let width = Int((Double(image.width) * scale).rounded(.toNearestOrEven))
        let height = Int((Double(image.height) * scale).rounded(.toNearestOrEven))
        let bands = image.bands
        let source = try image.pixelData().map { Float($0) / Float(255) }
        var out = [UInt8](repeating: 0, count: width * height * bands)
        let inWidth = image.width, inHeight = image.height
        let scaleX = Float(inWidth) / Float(width), scaleY = Float(inHeight) / Float(height)
        func save(_ value: Float) -> UInt8 { UInt8(min(max(Float(255) * value, 0), 255).rounded(.towardZero)) }
        switch method {
        case "nearest-exact":
            for y in 0..<height {
                let sy = min(Int((Float(y) + 0.5) * scaleY), inHeight - 1)
                for x in 0..<width {
                    let sx = min(Int((Float(x) + 0.5) * scaleX), inWidth - 1)
                    for band in 0..<bands { out[(y * width + x) * bands + band] = save(source[(sy * inWidth + sx) * bands + band]) }
                }
            }
        case "bilinear":
            func index(_ destination: Int, scale: Float, size: Int) -> (Int, Int, Float, Float) {
                let real = max(scale * (Float(destination) + 0.5) - 0.5, 0)
                let low = min(Int(real), size - 1)
                let step = low < size - 1 ? 1 : 0
                let lambda1 = real - Float(low)
                return (low, step, Float(1) - lambda1, lambda1)
            }
            let columns = (0..<width).map { index($0, scale: scaleX, size: inWidth) }
            for y in 0..<height {
                let (y0, yStep, h0, h1) = index(y, scale: scaleY, size: inHeight)
                for x in 0..<width {
                    let (x0, xStep, w0, w1) = columns[x]
                    for band in 0..<bands {
                        func at(_ row: Int, _ column: Int) -> Float { source[(row * inWidth + column) * bands + band] }
                        let top = w0 * at(y0, x0) + w1 * at(y0, x0 + xStep)
                        let bottom = w0 * at(y0 + yStep, x0) + w1 * at(y0 + yStep, x0 + xStep)
                        out[(y * width + x) * bands + band] = save(h0 * top + h1 * bottom)
                    }
                }
            }
        default:
            throw UnsupportedMethod(method: method)
        }
        return try Image(pixels: out, width: width, height: height, bands: bands)
    }
}
