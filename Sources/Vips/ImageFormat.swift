/// An encoded image format Darkroom can write (and read, where a trusted loader exists).
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
    case jpeg, png, webp, avif, heif, gif, tiff, jxl

    /// The usual file extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .tiff: "tif"
        case .heif: "heic"
        default: rawValue
        }
    }

    /// The media type, for HTTP responses and stored media records.
    public var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        case .avif: "image/avif"
        case .heif: "image/heic"
        case .gif: "image/gif"
        case .tiff: "image/tiff"
        case .jxl: "image/jxl"
        }
    }

    /// Whether the format stores an alpha band.
    public var supportsAlpha: Bool { self != .jpeg }

    /// Whether the format stores several frames (an animation).
    public var supportsAnimation: Bool { self == .gif || self == .webp }

    /// The format a file extension names (`jpg`, `.JPEG`, `tiff`, …), or `nil`.
    public init?(fileExtension: String) {
        var ext = fileExtension.lowercased()
        if ext.hasPrefix(".") { ext.removeFirst() }
        switch ext {
        case "jpg", "jpeg", "jpe", "jfif": self = .jpeg
        case "png": self = .png
        case "webp": self = .webp
        case "avif": self = .avif
        case "heic", "heif": self = .heif
        case "gif": self = .gif
        case "tif", "tiff": self = .tiff
        case "jxl": self = .jxl
        default: return nil
        }
    }

    /// The format a path's extension names, or `nil`.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        self.init(fileExtension: String(name[name.index(after: dot)...]))
    }

    /// The format of a libvips loader (`jpegload`, `pngload_buffer`, `heifload`…).
    init?(loader: String, heifCompression: String?) {
        let base = loader.split(separator: "_").first.map(String.init) ?? loader
        switch base {
        case "jpegload": self = .jpeg
        case "pngload", "vipspngload": self = .png
        case "webpload": self = .webp
        case "gifload": self = .gif
        case "tiffload": self = .tiff
        case "jxlload": self = .jxl
        case "heifload": self = heifCompression == "av1" ? .avif : .heif
        default: return nil
        }
    }

    /// The libvips saver this format uses.
    var saverNickname: String {
        switch self {
        case .jpeg: "jpegsave_target"
        case .png: "pngsave_target"
        case .webp: "webpsave_target"
        case .avif, .heif: "heifsave_target"
        case .gif: "gifsave_target"
        case .tiff: "tiffsave_target"
        case .jxl: "jxlsave_target"
        }
    }
}
