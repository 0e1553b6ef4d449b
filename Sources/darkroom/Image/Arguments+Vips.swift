public import ArgumentParser
public import Vips
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#endif

// Library enums read straight from the command line (`--format webp`, `--kernel nearest`…).
extension ImageFormat: ExpressibleByArgument {}
extension Kernel: ExpressibleByArgument {}
extension CropStrategy: ExpressibleByArgument {}
extension FlipDirection: ExpressibleByArgument {}
extension DeepZoomOptions.Layout: ExpressibleByArgument {}
extension SaveOptions.TiffCompression: ExpressibleByArgument {}

extension Placement: ExpressibleByArgument {
    /// Kebab-case on the command line: `bottom-right`.
    public init?(argument: String) {
        let camel = argument.split(separator: "-").enumerated()
            .map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }.joined()
        self.init(rawValue: camel)
    }

    public static var allValueStrings: [String] {
        allCases.map { $0.rawValue.replacing(/([A-Z])/) { "-" + $0.output.1.lowercased() } }
    }
}

extension Colour: ExpressibleByArgument {
    /// `#rrggbb`, `#rrggbbaa` or `#rgb`.
    public init?(argument: String) { self.init(hex: argument) }
}
