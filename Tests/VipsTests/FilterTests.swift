import Foundation
import Testing
import TestSupport
import Vips

@Suite(.onTestThreads) struct FilterTests {
    let folder = TemporaryDirectory()

    @Test func anIdentityKernelChangesNothing() async throws {
        let image = try TestImages.photo(width: 60, height: 40)
        let same = try image.convolve(kernel: [[0, 0, 0], [0, 1, 0], [0, 0, 0]])
        #expect(try same.difference(to: image).maximum == 0)
    }

    @Test func aBoxKernelAveragesItsNeighbours() async throws {
        // A single bright pixel spreads evenly over its 3×3 neighbourhood.
        var pixels = [UInt8](repeating: 0, count: 5 * 5)
        pixels[2 * 5 + 2] = 90
        let dot = try Image(pixels: pixels, width: 5, height: 5, bands: 1)
        let blurred = try dot.convolve(kernel: [[1, 1, 1], [1, 1, 1], [1, 1, 1]], scale: 9)
        #expect(try blurred.pixel(x: 1, y: 1) == [10] && blurred.pixel(x: 3, y: 3) == [10] && blurred.pixel(x: 0, y: 0) == [0])
    }

    @Test func theVipsBenchSharpenMatchesVipsConv() async throws {
        let image = try TestImages.photo(width: 80, height: 60)
        let input = try TestImages.write(image, "in.png", in: folder)
        let mask = try folder.write(Data("3 3 8 0\n-1 -1 -1\n-1 16 -1\n-1 -1 -1\n".utf8), to: "mask.mat")
        try await Reference.vips("conv", input, folder.path("ref.png"), mask, "--precision", "integer")
        let ours = try image.convolve(kernel: [[-1, -1, -1], [-1, 16, -1], [-1, -1, -1]], scale: 8)
        #expect(try Reference.maximumDifference(ours, toFile: folder.path("ref.png")) == 0)
    }

    @Test func sharpeningRaisesEdgeContrast() async throws {
        let soft = try TestImages.halves(width: 40, height: 20, left: [60, 60, 60], right: [180, 180, 180]).resize(scale: 0.5, kernel: .linear)
        let sharp = try soft.sharpen(sigma: 1)
        #expect(sharp.width == soft.width && sharp.height == soft.height)
        // Across the edge, the dark side gets darker and the light side lighter.
        #expect(try sharp.pixel(x: 8, y: 5)[0] < soft.pixel(x: 8, y: 5)[0])
        #expect(try sharp.pixel(x: 11, y: 5)[0] > soft.pixel(x: 11, y: 5)[0])
        expectError(.invalidArgument) { try soft.sharpen(sigma: 0) }
        expectError(.invalidArgument) { try soft.convolve(kernel: [[1, 1], [1]]) }
    }
}
