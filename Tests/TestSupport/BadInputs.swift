public import Foundation

/// Real bad inputs made from real files: bombs with patched headers, truncations, garbage.
public enum BadInputs {
    /// A valid JPEG whose frame header (SOF) now claims `width` × `height`.
    public static func jpeg(_ jpeg: Data, claimingWidth width: Int, height: Int) -> Data {
        var bytes = [UInt8](jpeg)
        for index in 0..<(bytes.count - 9) where bytes[index] == 0xFF && (0xC0...0xC2).contains(bytes[index + 1]) {
            bytes[index + 5] = UInt8(height >> 8); bytes[index + 6] = UInt8(height & 0xFF)
            bytes[index + 7] = UInt8(width >> 8); bytes[index + 8] = UInt8(width & 0xFF)
            break
        }
        return Data(bytes)
    }

    /// A valid PNG whose IHDR now claims `width` × `height` (its checksum recomputed, so the
    /// header itself is valid).
    public static func png(_ png: Data, claimingWidth width: Int, height: Int) -> Data {
        var bytes = [UInt8](png)
        // Signature (8) + length (4) + "IHDR" (4): width at 16, height at 20, CRC at 29.
        for (offset, value) in [(16, width), (20, height)] {
            for byte in 0..<4 { bytes[offset + byte] = UInt8((value >> (8 * (3 - byte))) & 0xFF) }
        }
        let crc = CRC32.checksum(bytes[12..<29])
        for byte in 0..<4 { bytes[29 + byte] = UInt8((crc >> (8 * (3 - UInt32(byte)))) & 0xFF) }
        return Data(bytes)
    }

    /// The first `fraction` of `data`.
    public static func truncated(_ data: Data, keeping fraction: Double) -> Data {
        data.prefix(Int(Double(data.count) * fraction))
    }

    /// A JPEG start-of-image marker followed by garbage.
    public static let corruptJPEG = Data([0xFF, 0xD8, 0xFF, 0xE0] + (0..<400).map { UInt8(($0 * 37) & 0xFF) })

    /// A binary PPM image: valid, but only libvips' untrusted loader reads it.
    public static let ppm = Data("P6\n2 2\n255\n".utf8) + Data([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])
}

/// CRC-32 (IEEE), as PNG chunks use.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { value in
        var crc = UInt32(value)
        for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        return crc
    }

    static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        ~bytes.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }
}
