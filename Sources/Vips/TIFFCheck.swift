/// The TIFF variants libvips 8.14 cannot decode, told from the first directory of the file, so
/// that they are refused as `unsupported_format` (what they are) rather than failing later as
/// "corrupt": old-style JPEG compression (6), and chroma-subsampled YCbCr without JPEG
/// compression.
enum TIFFCheck {
    /// Why libvips cannot decode this TIFF, or `nil` when it can (or the directory is out of the
    /// bytes given: then libvips decides).
    static func unsupportedVariant(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 8 else { return nil }
        let little = bytes[0] == 0x49
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return little ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(little ? at + 2 : at), let low = u16(little ? at : at + 2) else { return nil }
            return high << 16 | low
        }
        guard u16(2) == 42, let directory = u32(4), let entries = u16(directory), entries < 1000 else { return nil }
        var compression = 1, photometric: Int?, subsampling: (Int, Int)?
        for index in 0..<entries {
            let entry = directory + 2 + index * 12
            guard let tag = u16(entry), let type = u16(entry + 2) else { return nil }
            let value = type == 3 ? u16(entry + 8) : u32(entry + 8)
            switch tag {
            case 259: compression = value ?? 1
            case 262: photometric = value
            case 530: if let horizontal = u16(entry + 8), let vertical = u16(entry + 10) { subsampling = (horizontal, vertical) }
            default: break
            }
        }
        if compression == 6 { return "old-style JPEG compression (TIFF compression 6), which libvips does not decode" }
        if photometric == 6, compression != 7, let (horizontal, vertical) = subsampling, horizontal != 1 || vertical != 1 {
            return "chroma-subsampled YCbCr without JPEG compression, which libvips does not decode"
        }
        return nil
    }
}
