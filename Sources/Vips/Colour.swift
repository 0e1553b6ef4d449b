/// An sRGB colour with alpha, each channel 0…255: backgrounds, text and fills.
public struct Colour: Sendable, Equatable, Codable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 255) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    public static let black = Colour(red: 0, green: 0, blue: 0)
    public static let white = Colour(red: 255, green: 255, blue: 255)
    public static let transparent = Colour(red: 0, green: 0, blue: 0, alpha: 0)

    /// Parses `#rgb`, `#rrggbb` or `#rrggbbaa` (the `#` is optional). `nil` when malformed.
    public init?(hex: String) {
        var text = Substring(hex)
        if text.hasPrefix("#") { text = text.dropFirst() }
        if text.count == 3 { text = Substring(text.map { "\($0)\($0)" }.joined()) }
        guard text.count == 6 || text.count == 8, let value = UInt32(text, radix: 16) else { return nil }
        let full = text.count == 6 ? (value << 8) | 0xFF : value
        self.init(red: Double(full >> 24 & 0xFF), green: Double(full >> 16 & 0xFF),
                  blue: Double(full >> 8 & 0xFF), alpha: Double(full & 0xFF))
    }

    /// The values for an image with `bands` bands: grey (+ alpha) for 1–2, RGB (+ alpha) for 3–4.
    func values(forBands bands: Int) -> [Double] {
        let grey = (0.2126 * red + 0.7152 * green + 0.0722 * blue).rounded()
        switch bands {
        case 1: return [grey]
        case 2: return [grey, alpha]
        case 3: return [red, green, blue]
        default: return [red, green, blue, alpha] + Array(repeating: alpha, count: max(0, bands - 4))
        }
    }
}
