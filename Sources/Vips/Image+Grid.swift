internal import CVips

extension Image {
    /// Joins images into a grid, left to right and top to bottom, `columns` per row: contact
    /// sheets. Every cell is as large as the largest image; smaller images are centred in their
    /// cell on `background`. Images are brought to sRGB first, with alpha if any of them has it.
    public static func grid(_ images: [Image], columns: Int, spacing: Int = 0, background: Colour = .white) throws -> Image {
        VipsRuntime.start()
        guard !images.isEmpty else { throw VipsError.invalidArgument("grid", "expected at least one image but received none") }
        guard columns > 0, spacing >= 0 else {
            throw VipsError.invalidArgument("grid", "expected columns ≥ 1 and spacing ≥ 0 but received \(columns) and \(spacing)")
        }
        let withAlpha = images.contains { $0.hasAlpha }
        let cells = try images.map { image -> Image in
            let rgb = try image.toSRGB()
            return withAlpha ? try rgb.addingAlpha() : rgb
        }
        let fill = background.values(forBands: cells[0].bands)
        var pointers: [UnsafeMutablePointer<VipsImage>?] = cells.map(\.pointer)
        return try cells[0].derive("grid", with: Array(cells.dropFirst())) { out in
            pointers.withUnsafeMutableBufferPointer {
                cvips_arrayjoin($0.baseAddress, out, Int32(cells.count), Int32(min(columns, cells.count)),
                                Int32(spacing), fill, Int32(fill.count), VIPS_ALIGN_CENTRE, VIPS_ALIGN_CENTRE)
            }
        }
    }
}
