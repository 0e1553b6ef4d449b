internal import CVips

extension Image {
    /// Applies `transform` to each frame of an animation and stacks the results again, so that
    /// geometry never straddles frame boundaries. A still image is transformed directly.
    func mapFrames(_ operation: String, _ transform: (Image) throws -> Image) throws -> Image {
        let count = frameCount
        guard count > 1 else { return try transform(self) }
        let frameHeight = pageHeight
        let frames = try (0..<count).map { index in
            try transform(derive(operation) {
                cvips_extract_area(pointer, $0, 0, Int32(index * frameHeight), Int32(width), Int32(frameHeight))
            })
        }
        let newFrameHeight = frames[0].height
        guard frames.allSatisfy({ $0.height == newFrameHeight && $0.width == frames[0].width }) else {
            throw VipsError(.operationFailed, operation: operation, input: inputDescription,
                            message: "frames came out with different sizes")
        }
        var pointers: [UnsafeMutablePointer<VipsImage>?] = frames.map(\.pointer)
        let stacked = try derive(operation, with: frames) { out in
            pointers.withUnsafeMutableBufferPointer {
                cvips_arrayjoin($0.baseAddress, out, Int32(count), 1, 0, [0], 1, VIPS_ALIGN_LOW, VIPS_ALIGN_LOW)
            }
        }
        return try stacked.settingPageHeight(newFrameHeight)
    }

    /// A private copy (never shared through libvips' cache: `copy` is not cached) with a new
    /// frame height.
    func settingPageHeight(_ pageHeight: Int) throws -> Image {
        let copy = try derive("copy") { cvips_copy(pointer, $0) }
        vips_image_set_int(copy.pointer, "page-height", Int32(pageHeight))
        return copy
    }
}

extension Image {
    /// Makes an animation from frames of the same size: stacked top to bottom with their frame
    /// height, each shown for `delays[i]` milliseconds (one value applies to all), repeating
    /// `loopCount` times (0 = forever). Save it as GIF or WebP.
    public static func animation(frames: [Image], delays: [Int] = [100], loopCount: Int = 0) throws -> Image {
        VipsRuntime.start()
        guard let first = frames.first else {
            throw VipsError.invalidArgument("animation", "expected at least one frame but received none")
        }
        guard frames.allSatisfy({ $0.width == first.width && $0.height == first.height && $0.bands == first.bands }) else {
            throw VipsError.invalidArgument("animation", "expected frames of one size and band count")
        }
        guard delays.count == 1 || delays.count == frames.count, delays.allSatisfy({ $0 >= 0 }), loopCount >= 0 else {
            throw VipsError.invalidArgument("animation",
                "expected one delay or one per frame (\(frames.count)), none negative, and a loop count ≥ 0")
        }
        var pointers: [UnsafeMutablePointer<VipsImage>?] = frames.map(\.pointer)
        let stacked = try first.derive("animation", with: Array(frames.dropFirst())) { out in
            pointers.withUnsafeMutableBufferPointer {
                cvips_arrayjoin($0.baseAddress, out, Int32(frames.count), 1, 0, [0], 1, VIPS_ALIGN_LOW, VIPS_ALIGN_LOW)
            }
        }
        let animation = try stacked.settingPageHeight(first.height)
        let perFrame = (delays.count == 1 ? Array(repeating: delays[0], count: frames.count) : delays).map { Int32(clamping: $0) }
        vips_image_set_array_int(animation.pointer, "delay", perFrame, Int32(perFrame.count))
        vips_image_set_int(animation.pointer, "loop", Int32(clamping: loopCount))
        return animation
    }
}
