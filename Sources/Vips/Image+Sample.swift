internal import CVips

extension Image {
    /// A photo-like synthetic sRGB image: smooth colour gradients across the frame plus
    /// Gaussian noise, so encoders and resamplers meet both flat areas and fine detail. The same
    /// arguments always give the same pixels. Built lazily from libvips operations: a 24 MP
    /// sample costs nothing until it is saved. Used by the demo, the benchmarks and tests.
    /// With `alpha`, a fourth band fades from opaque at the top-left to about 20 % at the
    /// bottom-right.
    public static func sample(width: Int, height: Int, seed: Int = 1, noise: Double = 12, alpha: Bool = false) throws -> Image {
        VipsRuntime.start()
        guard width > 1, height > 1, width <= Int(VIPS_MAX_COORD), height <= Int(VIPS_MAX_COORD) else {
            throw VipsError.invalidArgument("sample", "expected a size of 2…\(VIPS_MAX_COORD) on each side but received \(width)×\(height)")
        }
        guard noise >= 0, noise.isFinite else {
            throw VipsError.invalidArgument("sample", "expected noise ≥ 0 but received \(noise)")
        }
        func make(_ call: (UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32) throws -> Image {
            var out: UnsafeMutablePointer<VipsImage>?
            guard call(&out) == 0, let out else {
                throw VipsError.libvips(.operationFailed, operation: "sample", input: nil, message: "libvips could not make the sample")
            }
            return Image(owning: out, lineage: .none)
        }
        // Bands: x across, y down, and the diagonal x + y, each scaled to 0…255.
        let coordinates = try make { cvips_xyz($0, Int32(width), Int32(height)) }
        let x = try coordinates.derive("sample") { cvips_extract_band(coordinates.pointer, $0, 0, 1) }
        let y = try coordinates.derive("sample") { cvips_extract_band(coordinates.pointer, $0, 1, 1) }
        let diagonal = try x.derive("sample", with: [y]) { cvips_add(x.pointer, y.pointer, $0) }
        let red = try x.derive("sample") { cvips_linear(x.pointer, $0, [255 / Double(width - 1)], [0], 1) }
        let green = try y.derive("sample") { cvips_linear(y.pointer, $0, [255 / Double(height - 1)], [0], 1) }
        let blue = try diagonal.derive("sample") {
            cvips_linear(diagonal.pointer, $0, [-255 / Double(width + height - 2)], [255], 1)
        }
        let redGreen = try red.derive("sample", with: [green]) { cvips_bandjoin2(red.pointer, green.pointer, $0) }
        let gradient = try redGreen.derive("sample", with: [blue]) { cvips_bandjoin2(redGreen.pointer, blue.pointer, $0) }
        let grain = try make { cvips_gaussnoise($0, Int32(width), Int32(height), noise, 0, Int32(truncatingIfNeeded: seed)) }
        let noisy = try gradient.derive("sample", with: [grain]) { cvips_add(gradient.pointer, grain.pointer, $0) }
        var bands = noisy
        if alpha {
            let fade = try diagonal.derive("sample") {
                cvips_linear(diagonal.pointer, $0, [-204 / Double(width + height - 2)], [255], 1)
            }
            bands = try noisy.derive("sample", with: [fade]) { cvips_bandjoin2(noisy.pointer, fade.pointer, $0) }
        }
        let pixels = try bands.derive("sample") { cvips_cast(bands.pointer, $0, VIPS_FORMAT_UCHAR) }
        return try pixels.derive("sample") { cvips_copy_interpretation(pixels.pointer, $0, VIPS_INTERPRETATION_sRGB) }
    }
}
