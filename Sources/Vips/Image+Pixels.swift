internal import CVips
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// How far two images are apart, band values compared one by one.
public struct ImageDifference: Sendable, Equatable {
    /// Mean absolute difference over every value.
    public var mean: Double
    /// Largest absolute difference of any value.
    public var maximum: Double
}

extension Image {
    /// The band values of one pixel (decodes what is needed to reach it).
    public func pixel(x: Int, y: Int) throws -> [Double] {
        guard (0..<width).contains(x), (0..<height).contains(y) else {
            throw VipsError.invalidArgument("read pixel", "expected a point inside \(width)×\(height) but received \(x),\(y)")
        }
        var values: UnsafeMutablePointer<Double>?
        var count: Int32 = 0
        guard cvips_getpoint(pointer, &values, &count, Int32(x), Int32(y)) == 0, let values else {
            throw evaluationError(.operationFailed, operation: "read pixel", message: "the pixel cannot be read")
        }
        defer { g_free(values) }
        return Array(UnsafeBufferPointer(start: values, count: Int(count)))
    }

    /// Decodes the whole image into memory: interleaved values, row by row, in ``ImageHeader/bandFormat``.
    public func pixelData() throws -> Data {
        var size = 0
        guard let memory = vips_image_write_to_memory(pointer, &size) else {
            throw evaluationError(.operationFailed, operation: "read pixels", message: "the pixels cannot be decoded")
        }
        return Data(bytesNoCopy: memory, count: size, deallocator: .custom { pointer, _ in g_free(pointer) })
    }

    /// The mean of every band value: a cheap checksum of the decoded pixels.
    public func average() throws -> Double {
        var value = 0.0
        guard cvips_avg(pointer, &value) == 0 else {
            throw evaluationError(.operationFailed, operation: "average", message: "the pixels cannot be decoded")
        }
        return value
    }

    /// Decodes the image into memory once and returns it as a new image that can be read any
    /// number of times in any order. Images made by ``thumbnail(ofFile:width:options:loading:)``
    /// or loaded with ``LoadOptions/Access/sequential`` stream from their input and can be read
    /// only once; materialize them before reading pixels and saving as well.
    public func materialized() throws -> Image {
        guard let copy = vips_image_copy_memory(pointer) else {
            throw evaluationError(.operationFailed, operation: "decode", message: "the pixels cannot be decoded")
        }
        return Image(owning: copy, lineage: lineage)
    }

    /// Compares with an image of the same size and bands, in one pass over both.
    public func difference(to other: Image) throws -> ImageDifference {
        guard width == other.width, height == other.height, bands == other.bands else {
            throw VipsError.invalidArgument("compare",
                "expected images of the same size and bands but received \(width)×\(height)×\(bands) and \(other.width)×\(other.height)×\(other.bands)")
        }
        let delta = try derive("compare", with: [other]) { cvips_subtract(pointer, other.pointer, $0) }
        let magnitude = try delta.derive("compare") { cvips_abs(delta.pointer, $0) }
        // One pass (vips_stats), so images that stream from their input can be compared too.
        // Row 0 of the statistics matrix covers all bands: min, max, sum, sum², mean, …
        let statistics = try magnitude.derive("compare") { cvips_stats(magnitude.pointer, $0) }
        let maximum = try statistics.pixel(x: 1, y: 0)[0]
        let mean = try statistics.pixel(x: 4, y: 0)[0]
        return ImageDifference(mean: mean, maximum: maximum)
    }
}
