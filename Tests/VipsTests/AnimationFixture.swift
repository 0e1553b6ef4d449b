import Foundation
import TestSupport
import Vips

/// Builds small animations: frames of distinct flat colours.
enum AnimationFixture {
    static let colours: [[UInt8]] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [0, 255, 255]]

    static func image(frames: Int, width: Int, height: Int, delay: Int = 100) throws -> Image {
        let images = try (0..<frames).map { try TestImages.solid(width: width, height: height, colours[$0 % colours.count]) }
        return try Image.animation(frames: images, delays: [delay])
    }

    @discardableResult
    static func write(frames: Int, width: Int, height: Int, to path: String) throws -> String {
        try image(frames: frames, width: width, height: height).save(to: path)
        return path
    }
}
