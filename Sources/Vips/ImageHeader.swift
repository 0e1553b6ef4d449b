internal import CVips

/// What an image's header says, read without decoding pixels.
public struct ImageHeader: Sendable, Equatable, Codable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels of one frame (the whole image for a still).
    public var height: Int
    /// Frames held by the image (1 unless loaded with ``LoadOptions/allPages``).
    public var frames: Int
    /// Pages or frames the file contains, whether loaded or not.
    public var pages: Int
    /// Bands per pixel, alpha included.
    public var bands: Int
    /// Numeric type of each value.
    public var bandFormat: BandFormat
    /// How the bands are read.
    public var colourSpace: ColourSpace
    /// The file format it was loaded from, when it came from a file or buffer.
    public var format: ImageFormat?
    /// The libvips loader that read it (`jpegload`, …), when it was loaded.
    public var loader: String?
    /// EXIF orientation, 1 (upright) to 8.
    public var orientation: Int
    /// Whether the last band is alpha.
    public var hasAlpha: Bool
    /// Whether an ICC colour profile is embedded.
    public var hasICCProfile: Bool
    /// EXIF fields by libvips name without the `exif-` prefix (`ifd0-Make` → `Canon`).
    public var exif: [String: String]
    /// Delay of each frame in milliseconds, for animations.
    public var frameDelays: [Int]?
    /// Times an animation repeats (0 = forever), for animations.
    public var loopCount: Int?

    init(_ image: Image) {
        let pointer = image.pointer
        width = image.width
        height = image.pageHeight
        frames = image.frameCount
        pages = max(1, Int(vips_image_get_n_pages(pointer)))
        bands = image.bands
        bandFormat = BandFormat(vips_image_get_format(pointer))
        colourSpace = ColourSpace(vips_image_get_interpretation(pointer))
        loader = Self.string(pointer, "vips-loader")
        format = image.loadedFormat
        orientation = Int(vips_image_get_orientation(pointer))
        hasAlpha = image.hasAlpha
        hasICCProfile = vips_image_get_typeof(pointer, "icc-profile-data") != 0
        exif = Self.exifFields(pointer)
        frameDelays = Self.intArray(pointer, "delay")
        loopCount = Self.int(pointer, "loop")
    }

    static func string(_ pointer: UnsafeMutablePointer<VipsImage>, _ name: String) -> String? {
        guard vips_image_get_typeof(pointer, name) != 0 else { return nil }
        var value: UnsafeMutablePointer<CChar>?
        guard vips_image_get_as_string(pointer, name, &value) == 0, let value else { return nil }
        defer { g_free(value) }
        return String(cString: value)
    }

    private static func int(_ pointer: UnsafeMutablePointer<VipsImage>, _ name: String) -> Int? {
        guard vips_image_get_typeof(pointer, name) != 0 else { return nil }
        var value: Int32 = 0
        return vips_image_get_int(pointer, name, &value) == 0 ? Int(value) : nil
    }

    private static func intArray(_ pointer: UnsafeMutablePointer<VipsImage>, _ name: String) -> [Int]? {
        guard vips_image_get_typeof(pointer, name) != 0 else { return nil }
        var values: UnsafeMutablePointer<Int32>?
        var count: Int32 = 0
        guard vips_image_get_array_int(pointer, name, &values, &count) == 0, let values else { return nil }
        return (0..<Int(count)).map { Int(values[$0]) }
    }

    /// The part of `value (value, type, n components, n bytes)` before the last " (".
    private static func value(of rendered: String) -> String {
        var index = rendered.endIndex
        while index > rendered.startIndex {
            index = rendered.index(before: index)
            if rendered[index] == "(", index > rendered.startIndex, rendered[rendered.index(before: index)] == " " {
                return String(rendered[..<rendered.index(before: index)])
            }
        }
        return rendered
    }

    /// libvips renders EXIF values as `value (value, type, n components, n bytes)`; keep the value.
    private static func exifFields(_ pointer: UnsafeMutablePointer<VipsImage>) -> [String: String] {
        guard let fields = vips_image_get_fields(pointer) else { return [:] }
        defer { g_strfreev(fields) }
        var result: [String: String] = [:]
        var index = 0
        while let field = fields[index] {
            index += 1
            let name = String(cString: field)
            guard name.hasPrefix("exif-"), name != "exif-data",
                  let rendered = string(pointer, name) else { continue }
            result[String(name.dropFirst(5))] = value(of: rendered)
        }
        return result
    }
}
