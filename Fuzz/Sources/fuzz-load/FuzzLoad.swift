// libFuzzer target over the load path untrusted bytes take: load (format from the first bytes,
// the limits, the header), every header field, a shrink-on-load thumbnail encoded to PNG, and the
// fast thumbnail (the JPEG, WebP and PNG decoders of CVipsDecode.h) a transform plan uses. Any
// VipsError is an expected refusal; a crash, a leak report or a hang (libFuzzer's -timeout) is a
// finding. libFuzzer supplies main; scripts/fuzz builds and runs it.
import Foundation
import Vips

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoad(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    let limits = Limits(maxPixels: 4_000_000, maxInputBytes: 1 << 20, maxFrames: 50)
    _ = try? Image(data: data, options: LoadOptions(limits: limits)).header
    _ = try? Image.thumbnail(data: data, width: 64, loading: LoadOptions(limits: limits, allPages: true)).data(format: .png)
    let fast = ThumbnailOptions(height: 64, fastShrinkOnLoad: true)
    _ = try? Image.thumbnail(data: data, width: 64, options: fast, loading: LoadOptions(limits: limits)).data(format: .png)
    return 0
}
