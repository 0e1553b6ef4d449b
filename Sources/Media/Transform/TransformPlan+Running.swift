#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
public import Vips

extension TransformPlan {
    /// Runs the plan on encoded bytes and encodes the result: blocking libvips work, so call it
    /// on the ``ImageWorkerPool`` (``MediaService`` does). The input is checked against `limits`
    /// from its header before any pixel is decoded. When the first steps are an optional
    /// `orient` and a `resize` or `thumbnail`, the image is decoded already shrunk, at the
    /// smallest size that covers the box (see ``ThumbnailOptions/fastShrinkOnLoad``).
    public func run(on data: Data, limits: Limits = .default) throws -> TransformOutput {
        try run(.data(data), limits: limits)
    }

    /// Runs the plan on an image file, read as it is needed (never whole into memory), with
    /// everything ``run(on:limits:)`` does.
    public func run(onFile path: String, limits: Limits = .default) throws -> TransformOutput {
        try run(.file(path), limits: limits)
    }

    /// Where the encoded input is.
    private enum Input {
        case data(Data)
        case file(String)

        func image(_ loading: LoadOptions) throws -> Image {
            switch self {
            case .data(let data): try Image(data: data, options: loading)
            case .file(let path): try Image(contentsOfFile: path, options: loading)
            }
        }

        func thumbnail(width: Int, options: ThumbnailOptions, loading: LoadOptions) throws -> Image {
            switch self {
            case .data(let data): try Image.thumbnail(data: data, width: width, options: options, loading: loading)
            case .file(let path): try Image.thumbnail(ofFile: path, width: width, options: options, loading: loading)
            }
        }
    }

    private func run(_ input: Input, limits: Limits) throws -> TransformOutput {
        try validate()
        do {
            // Pixels stream top to bottom unless a step reads them in another order.
            let access: LoadOptions.Access = steps.contains(where: \.readsOutOfOrder) ? .random : .sequential
            let loading = LoadOptions(limits: limits, failOn: .truncated, access: access)
            var (image, remaining) = try opened(input, loading: loading)
            // The input's own format (needed only when the plan names none) is the loader's,
            // which every operation keeps.
            let inputFormat = output.format == nil ? image.loadedFormat : nil
            for (offset, step) in remaining.enumerated() {
                let position = steps.count - remaining.count + offset + 1
                do { image = try Self.apply(step, to: image) } catch let error as VipsError {
                    throw MediaError(.invalidParams, "step \(position) (\(step.name)): \(error.message)")
                } catch let error as MediaError {
                    throw MediaError(error.code, "step \(position) (\(step.name)): \(error.message)")
                }
            }
            let format = output.format ?? inputFormat.flatMap { $0 == .jxl ? nil : $0 } ?? .png
            if format == .jpeg, image.hasAlpha { image = try image.flatten(background: .white) }
            let options = SaveOptions(quality: output.quality, lossless: output.lossless, stripMetadata: output.stripMetadata)
            let encoded = try image.data(format: format, options: options)
            return TransformOutput(data: encoded, format: format, width: image.width, height: image.pageHeight)
        } catch let error as VipsError {
            throw MediaError(vips: error)
        }
    }

    /// Opens the input, through shrink-on-load when the plan starts with a resize; returns the
    /// steps still to apply.
    private func opened(_ input: Input, loading: LoadOptions) throws -> (Image, ArraySlice<TransformStep>) {
        var rest = steps[...]
        let orients = rest.first == .autoOrient
        if orients { rest = rest.dropFirst() }
        if let first = rest.first, let (width, box) = Self.thumbnailBox(first, autoRotate: orients) {
            // Decoded at the smallest size that covers the box (as sharp and Pillow do), by the
            // codec library itself for a JPEG, WebP or PNG: a third to a half less work per image.
            var options = box
            options.fastShrinkOnLoad = true
            let thumbnail = try input.thumbnail(width: width, options: options, loading: loading)
            rest = rest.dropFirst()
            // The shrunk image streams from the decoder top to bottom; a step that reads it in
            // another order (a rotation, a vertical flip, a smart crop) gets it in memory — it is small now.
            return (rest.contains(where: \.readsOutOfOrder) ? try thumbnail.materialized() : thumbnail, rest)
        }
        return (try input.image(loading), orients ? steps[...] : rest)
    }

    /// The box and options that make `step` a libvips thumbnail; `nil` for other steps.
    private static func thumbnailBox(_ step: TransformStep, autoRotate: Bool) -> (Int, ThumbnailOptions)? {
        switch step {
        case .resize(let width, let height, let fit):
            let crop: CropStrategy? = switch fit {
            case .fill: .centre
            case .attention: .attention
            case .fit, .force: nil
            }
            return (width ?? unbounded, ThumbnailOptions(height: height, crop: crop, resizing: fit == .force ? .force : .any,
                                                         autoRotate: autoRotate))
        case .thumbnail(let size, let crop):
            return (size, ThumbnailOptions(height: size, crop: crop, resizing: .downOnly, autoRotate: autoRotate))
        default:
            return nil
        }
    }

    /// libvips' largest coordinate: a side left free.
    private static let unbounded = 10_000_000

    private static func apply(_ step: TransformStep, to image: Image) throws -> Image {
        switch step {
        case .autoOrient:
            return try image.autoRotate()
        case .resize, .thumbnail:
            guard let (width, options) = thumbnailBox(step, autoRotate: false) else { return image }
            return try image.thumbnail(width: width, options: options)
        case .crop(let x, let y, let width, let height):
            guard x + width <= image.width, y + height <= image.pageHeight else {
                throw MediaError(.invalidParams, "the box \(width)x\(height) at \(x),\(y) is outside the \(image.width)×\(image.pageHeight) image")
            }
            return try image.crop(left: x, top: y, width: width, height: height)
        case .smartCrop(let width, let height, let strategy):
            return try image.smartCrop(width: min(width, image.width), height: min(height, image.pageHeight), strategy: strategy)
        case .rotate(let degrees):
            return try image.rotate(degrees: Double(degrees))
        case .flip(let direction):
            return try image.flip(direction)
        case .watermark(let text, let position, let opacity):
            let size = max(12, min(image.width, image.pageHeight) / 20)
            let mark = try Image.text(Self.escapedMarkup(text), font: "sans bold \(size)", width: max(1, image.width - size),
                                      alignment: .left, colour: .white)
            return try image.composite(mark, at: position, margin: size / 2, opacity: opacity)
        }
    }

    /// Plain text for Pango: `&`, `<` and `>` written as entities.
    public static func escapedMarkup(_ text: String) -> String {
        text.reduce(into: "") { escaped, character in
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            default: escaped.append(character)
            }
        }
    }
}
