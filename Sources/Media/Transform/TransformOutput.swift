#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import Vips

/// How a plan's result is encoded: the format (the input's when `nil`) and its options.
public struct OutputSpec: Sendable, Equatable {
    public var format: ImageFormat?
    public var quality: Int?
    public var lossless: Bool
    public var stripMetadata: Bool

    public init(format: ImageFormat? = nil, quality: Int? = nil, lossless: Bool = false, stripMetadata: Bool = false) {
        self.format = format
        self.quality = quality
        self.lossless = lossless
        self.stripMetadata = stripMetadata
    }
}

/// What running a plan produced: the encoded bytes and what they are.
public struct TransformOutput: Sendable {
    public var data: Data
    public var format: ImageFormat
    public var width: Int
    public var height: Int
}
