public import Studio
public import Vips

/// A stored item and what its header says (read without decoding a pixel).
public struct MediaInfo: Sendable {
    public var record: MediaRecord
    public var header: ImageHeader
}
