import CommandSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Vips

/// An input given on the command line: a path, or `-` for standard input.
enum ImageSource {
    case file(String)
    case standardInput(Data)

    /// Reads standard input now when `argument` is `-`: at most `maxBytes` (the file-size
    /// limit), refusing more with `limit_exceeded` without reading the rest.
    init(_ argument: String, maxBytes: Int) throws {
        if argument == "-" {
            guard let data = Console.readStandardInput(limit: maxBytes) else {
                throw VipsError(.limitExceeded, operation: "load", input: "<stdin>",
                                message: "standard input holds more than \(maxBytes) bytes, the limit")
            }
            self = .standardInput(data)
        } else {
            self = .file(argument)
        }
    }

    /// The name used in messages.
    var name: String {
        switch self {
        case .file(let path): path
        case .standardInput: "<stdin>"
        }
    }

    func load(_ options: LoadOptions) throws -> Image {
        switch self {
        case .file(let path): try Image(contentsOfFile: path, options: options)
        case .standardInput(let data): try Image(data: data, options: options)
        }
    }

    /// A thumbnail with shrink-on-load.
    func thumbnail(width: Int, options: ThumbnailOptions, loading: LoadOptions) throws -> Image {
        switch self {
        case .file(let path): try Image.thumbnail(ofFile: path, width: width, options: options, loading: loading)
        case .standardInput(let data): try Image.thumbnail(data: data, width: width, options: options, loading: loading)
        }
    }

}
