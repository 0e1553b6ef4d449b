import Foundation
import Testing
import TestSupport
import Vips

/// Inputs made to hurt: content that hangs libvips' own format probe, names libvips would parse
/// as options, files swapped for bombs. Each is refused at once, by our own checks.
@Suite(.onTestThreads) struct HostileInputTests {
    let folder = TemporaryDirectory()

    /// A gzip member (an `.svgz`) followed by more bytes: libvips 8.14's SVG sniffer loops on it
    /// for ever, and its probe asks that sniffer even with untrusted loaders blocked.
    static func malformedSVGZ() throws -> Data {
        let svg = Data(#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#.utf8)
        let folder = TemporaryDirectory()
        let path = try folder.write(svg, to: "a.svg")
        let gzip = try Command("gzip", ["-c", path]).runBlocking()
        return gzip.stdoutData + Data("trailing bytes that are not another gzip member".utf8)
    }

    /// Runs `body` on a thread of its own and fails the test if it has not returned within
    /// `seconds` (a thread stuck in C cannot be cancelled: it is left behind, and the test says so).
    func returnsWithin<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () -> T) async -> T? {
        await withCheckedContinuation { continuation in
            let once = Once(continuation)
            Thread.detachNewThread { once.resume(body()) }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { once.resume(nil) }
        }
    }

    @Test func aMalformedSVGZIsRefusedAtOnceFromAFileBytesAndAThumbnail() async throws {
        let bytes = try Self.malformedSVGZ()
        let path = try folder.write(bytes, to: "evil.svgz")
        let codes = await returnsWithin(5) { () -> [VipsError.Code?] in
            [Self.code { try Image(contentsOfFile: path) },
             Self.code { try Image(data: bytes) },
             Self.code { try Image.thumbnail(ofFile: path, width: 64) },
             Self.code { try Image.thumbnail(data: bytes, width: 64) }]
        }
        #expect(codes == [.unsupportedFormat, .unsupportedFormat, .unsupportedFormat, .unsupportedFormat])
    }

    @Test func aNameEndingInBracketsIsTheFileOpenedNotLoaderOptions() async throws {
        // a.png is small and fine; "a.png[unlimited]" is a decompression bomb. libvips would read
        // the second name as a.png with the option "unlimited".
        try TestImages.write(TestImages.solid(width: 8, height: 8, [1, 2, 3]), "a.png", in: folder)
        let bomb = BadInputs.png(try TestImages.solid(width: 8, height: 8, [1, 2, 3]).data(format: .png),
                                 claimingWidth: 50_000, height: 50_000)
        let path = try folder.write(bomb, to: "a.png[unlimited]")
        expectError(.limitExceeded) { try Image(contentsOfFile: path) }
        expectError(.limitExceeded) { try Image.thumbnail(ofFile: path, width: 10) }
    }

    @Test func formatsAreToldFromTheirFirstBytesNotTheirNames() async throws {
        let png = try TestImages.solid(width: 4, height: 4, [9, 9, 9]).data(format: .png)
        let path = try folder.write(png, to: "really-a-png.jpg")
        #expect(try Image(contentsOfFile: path).header.format == .png)
        try folder.write(Data("P6\n1 1\n255\n\u{0}\u{0}\u{0}".utf8), to: "tiny.ppm")
        expectError(.untrustedFormat) { try Image(contentsOfFile: folder.path("tiny.ppm")) }
        try folder.write(Data("%PDF-1.4\n".utf8), to: "doc.pdf")
        expectError(.untrustedFormat) { try Image(contentsOfFile: folder.path("doc.pdf")) }
        try folder.write(Data("just text, not an image".utf8), to: "notes.png")
        expectError(.unsupportedFormat) { try Image(contentsOfFile: folder.path("notes.png")) }
    }

    /// A little-endian TIFF header and one directory of SHORT entries (tag, count, values).
    static func tiff(_ entries: [(tag: UInt16, values: [UInt16])]) -> Data {
        func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
        var bytes: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00] + le16(UInt16(entries.count))
        for entry in entries {
            bytes += le16(entry.tag) + le16(3) + [UInt8(entry.values.count), 0, 0, 0]
            bytes += (entry.values + [0, 0]).prefix(2).flatMap(le16)
        }
        return Data(bytes + [0, 0, 0, 0] + [UInt8](repeating: 0, count: 64))
    }

    @Test func tiffVariantsLibvipsCannotDecodeAreUnsupportedNotCorrupt() async throws {
        let oldJPEG = Self.tiff([(256, [8]), (257, [8]), (259, [6]), (262, [6])])
        let subsampled = Self.tiff([(256, [8]), (257, [8]), (259, [1]), (262, [6]), (530, [2, 2])])
        let oldError = expectError(.unsupportedFormat) { try Image(data: oldJPEG) }
        #expect(oldError?.message.contains("old-style JPEG") == true)
        let subsampledError = expectError(.unsupportedFormat) { try Image(data: subsampled) }
        #expect(subsampledError?.message.contains("subsampled") == true)
        // An ordinary TIFF still loads.
        let plain = try TestImages.solid(width: 8, height: 8, [1, 2, 3]).data(format: .tiff)
        #expect(try Image(data: plain).width == 8)
    }

    @Test func aPyramidReplacesOnlyAPyramid() async throws {
        let image = try TestImages.solid(width: 300, height: 200, [200, 100, 50])
        let pictures = folder.path("pictures")
        try FileManager.default.createDirectory(atPath: pictures, withIntermediateDirectories: true)
        try folder.write(Data("precious".utf8), to: "pictures/holiday.jpg")
        // A google layout writes a folder called like the pyramid: here, an existing folder of pictures.
        expectError(.invalidArgument) { try image.deepZoom(to: pictures, options: DeepZoomOptions(layout: .google)) }
        #expect(folder.entries("pictures") == ["holiday.jpg"])
        // A pyramid written here before is replaced.
        try image.deepZoom(to: folder.path("tiles"), options: DeepZoomOptions(layout: .google))
        try image.deepZoom(to: folder.path("tiles"), options: DeepZoomOptions(layout: .google))
        try image.deepZoom(to: folder.path("tiles.zip"), options: DeepZoomOptions(layout: .deepZoom, container: .zip))
        try image.deepZoom(to: folder.path("tiles.zip"), options: DeepZoomOptions(layout: .deepZoom, container: .zip))
        // And anything, when asked.
        var force = DeepZoomOptions(layout: .google)
        force.replaceAnything = true
        try image.deepZoom(to: pictures, options: force)
        #expect(!folder.entries("pictures").contains("holiday.jpg"))
    }

    private static func code(_ body: () throws -> Any) -> VipsError.Code? {
        do { _ = try body(); return nil } catch { return (error as? VipsError)?.code }
    }
}

/// Resumes a continuation once, whoever comes first.
private final class Once<T: Sendable>: @unchecked Sendable {
    // @unchecked: `continuation` is only touched under `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T?, Never>?
    init(_ continuation: CheckedContinuation<T?, Never>) { self.continuation = continuation }
    func resume(_ value: T?) {
        lock.withLock {
            continuation?.resume(returning: value)
            continuation = nil
        }
    }
}
