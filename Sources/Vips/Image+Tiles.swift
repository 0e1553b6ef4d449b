internal import CVips

extension Image {
    /// Cuts the image into the tiles of `grid` (planned for this image's size), row by row.
    public func split(into grid: TileGrid) throws -> [Image] {
        guard grid.width == width, grid.height == height else {
            throw VipsError.invalidArgument("split",
                "expected a grid for \(width)×\(height) but received one for \(grid.width)×\(grid.height)")
        }
        return try grid.tiles.map { try crop(left: $0.x, top: $0.y, width: $0.width, height: $0.height) }
    }

    /// Joins processed tiles back into one image with feathered seams.
    ///
    /// `tiles` are the images of `grid.tiles`, in the same order, each possibly scaled by `scale`
    /// (4 for a 4× upscaler). Where tiles overlap, each is weighted by a linear ramp across the
    /// shared band and the weights are normalised to sum to one, so seams fade instead of cut.
    /// Tiles within 2 pixels of their expected size are resized to fit; others are refused.
    public static func join(tiles: [Image], grid: TileGrid, scale: Double = 1) throws -> Image {
        VipsRuntime.start()
        let operation = "join tiles"
        let expected = grid.tiles
        guard tiles.count == expected.count else {
            throw VipsError.invalidArgument(operation, "expected \(expected.count) tiles but received \(tiles.count)")
        }
        guard scale > 0, scale.isFinite else {
            throw VipsError.invalidArgument(operation, "expected a scale above 0 but received \(scale)")
        }
        guard Set(tiles.map(\.bands)).count == 1 else {
            throw VipsError.invalidArgument(operation, "expected tiles with the same number of bands")
        }
        func scaled(_ value: Int) -> Int { Int((Double(value) * scale).rounded()) }
        let columnSpans = FeatherWeights.spans(starts: grid.columnStarts, size: min(grid.tileSize, grid.width), scale: scale)
        let rowSpans = FeatherWeights.spans(starts: grid.rowStarts, size: min(grid.tileSize, grid.height), scale: scale)
        let columnWeights = FeatherWeights(spans: columnSpans, length: scaled(grid.width))
        let rowWeights = FeatherWeights(spans: rowSpans, length: scaled(grid.height))
        let outWidth = scaled(grid.width), outHeight = scaled(grid.height)

        let placed = try zip(expected, tiles).map { slot, tile -> Image in
            let span = (x: columnSpans[slot.column], y: rowSpans[slot.row])
            let fitted = try tile.fitted(width: span.x.length, height: span.y.length, operation: operation)
            let mask = try Image.mask(columns: columnWeights.weights(of: slot.column),
                                      rows: rowWeights.weights(of: slot.row))
            let floating = try fitted.derive(operation) { cvips_cast(fitted.pointer, $0, VIPS_FORMAT_FLOAT) }
            let weighted = try floating.derive(operation, with: [mask]) { cvips_multiply(floating.pointer, mask.pointer, $0) }
            return try weighted.derive(operation) {
                cvips_embed(weighted.pointer, $0, Int32(span.x.start), Int32(span.y.start), Int32(outWidth),
                            Int32(outHeight), VIPS_EXTEND_BLACK, [0], 1)
            }
        }
        var pointers: [UnsafeMutablePointer<VipsImage>?] = placed.map(\.pointer)
        let sum = try placed[0].derive(operation, with: Array(placed.dropFirst())) { out in
            pointers.withUnsafeMutableBufferPointer { cvips_sum($0.baseAddress, out, Int32(placed.count)) }
        }
        let rounded = try sum.derive(operation) { cvips_round(sum.pointer, $0, VIPS_OPERATION_ROUND_RINT) }
        let format = vips_image_get_format(tiles[0].pointer)
        let cast = try rounded.derive(operation) { cvips_cast(rounded.pointer, $0, format) }
        let space = vips_image_get_interpretation(tiles[0].pointer)
        return try cast.derive(operation) { cvips_copy_interpretation(cast.pointer, $0, space) }
    }

    /// This image at exactly `width` × `height`, if it is within 2 pixels of that already.
    private func fitted(width: Int, height: Int, operation: String) throws -> Image {
        if self.width == width, self.height == height { return self }
        guard abs(self.width - width) <= 2, abs(self.height - height) <= 2 else {
            throw VipsError.invalidArgument(operation,
                "expected a tile of \(width)×\(height) but received \(self.width)×\(self.height)")
        }
        return try resize(width: width, height: height)
    }

    /// The outer product of a row of column weights and a column of row weights, as a float image.
    private static func mask(columns: [Float], rows: [Float]) throws -> Image {
        let width = columns.count, height = rows.count
        let row = try columns.withUnsafeBytes { try Image(pixels: $0, width: width, height: 1, bands: 1, format: .float) }
        let column = try rows.withUnsafeBytes { try Image(pixels: $0, width: 1, height: height, bands: 1, format: .float) }
        let rowPlane = try row.derive("join tiles") {
            cvips_embed(row.pointer, $0, 0, 0, Int32(width), Int32(height), VIPS_EXTEND_COPY, [0], 1)
        }
        let columnPlane = try column.derive("join tiles") {
            cvips_embed(column.pointer, $0, 0, 0, Int32(width), Int32(height), VIPS_EXTEND_COPY, [0], 1)
        }
        return try rowPlane.derive("join tiles", with: [columnPlane]) { cvips_multiply(rowPlane.pointer, columnPlane.pointer, $0) }
    }
}
