internal import CVips

extension Image {
    /// Convolves with an integer kernel, each sum divided by `scale` and shifted by `offset`
    /// (the vips-bench 3×3 sharpen is `[[-1,-1,-1],[-1,16,-1],[-1,-1,-1]]`, scale 8).
    public func convolve(kernel: [[Double]], scale: Double = 1, offset: Double = 0) throws -> Image {
        let rows = kernel.count, columns = kernel.first?.count ?? 0
        guard rows > 0, columns > 0, kernel.allSatisfy({ $0.count == columns }), scale != 0 else {
            throw VipsError.invalidArgument("convolve", "expected a rectangular, non-empty kernel and a non-zero scale")
        }
        let values = kernel.flatMap { $0 }
        guard let matrix = vips_image_new_matrix_from_array(Int32(columns), Int32(rows), values, Int32(values.count)) else {
            throw VipsError.libvips(.operationFailed, operation: "convolve", input: nil, message: "the kernel cannot be built")
        }
        // A new matrix is private to us: setting its scale and offset shares nothing.
        vips_image_set_double(matrix, "scale", scale)
        vips_image_set_double(matrix, "offset", offset)
        let mask = Image(owning: matrix, lineage: .none)
        return try derive("convolve", with: [mask]) { cvips_conv_integer(pointer, $0, mask.pointer) }
    }

    /// Sharpens with libvips' unsharp mask in LAB space; `sigma` is the blur radius (default 0.5).
    public func sharpen(sigma: Double = 0.5) throws -> Image {
        guard sigma > 0, sigma.isFinite else {
            throw VipsError.invalidArgument("sharpen", "expected sigma above 0 but received \(sigma)")
        }
        return try derive("sharpen") { cvips_sharpen(pointer, $0, sigma) }
    }
}
