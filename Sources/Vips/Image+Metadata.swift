internal import CVips

extension Image {
    /// The same image with EXIF orientation `orientation` (1…8) recorded; savers write it into
    /// the file's EXIF. Pixels are unchanged.
    public func settingOrientation(_ orientation: Int) throws -> Image {
        guard (1...8).contains(orientation) else {
            throw VipsError.invalidArgument("set orientation", "expected orientation 1…8 but received \(orientation)")
        }
        // `copy` is never cached, so the new metadata is ours alone.
        let copy = try derive("set orientation") { cvips_copy(pointer, $0) }
        vips_image_set_int(copy.pointer, "orientation", Int32(orientation))
        return copy
    }
}
