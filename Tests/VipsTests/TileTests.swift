import Foundation
import Testing
import TestSupport
import Vips

@Suite(.onTestThreads) struct TileTests {
    @Test func theGridCoversTheImageWithFullTilesAndEnoughOverlap() async throws {
        let grid = try TileGrid(width: 1000, height: 300, tileSize: 256, overlap: 32)
        #expect(grid.columns == 5 && grid.rows == 2)
        #expect(grid.columnStarts.first == 0 && grid.columnStarts.last == 1000 - 256)
        #expect(grid.rowStarts == [0, 44])
        for (left, right) in zip(grid.columnStarts, grid.columnStarts.dropFirst()) {
            #expect(left + 256 - right >= 32)
        }
        #expect(grid.tiles.count == 10 && grid.tiles.allSatisfy { $0.width == 256 && $0.height == 256 })
    }

    @Test func anImageSmallerThanATileIsOneTile() async throws {
        let grid = try TileGrid(width: 100, height: 60, tileSize: 256, overlap: 16)
        #expect(grid.tiles == [TileGrid.Tile(column: 0, row: 0, x: 0, y: 0, width: 100, height: 60)])
    }

    @Test func splittingAndJoiningGivesTheImageBack() async throws {
        // Given
        let image = try TestImages.photo(width: 300, height: 200)
        let grid = try TileGrid(width: 300, height: 200, tileSize: 128, overlap: 16)
        // When
        let tiles = try image.split(into: grid)
        let joined = try Image.join(tiles: tiles, grid: grid)
        // Then: the weights sum to one, so only rounding can differ (stated tolerance: 1 level)
        #expect(tiles.count == grid.tiles.count && tiles.allSatisfy { $0.width == 128 && $0.height == 128 })
        #expect(joined.width == 300 && joined.height == 200 && joined.bands == 3)
        #expect(try joined.difference(to: image).maximum <= 1)
    }

    @Test func scaledTilesJoinIntoTheScaledImage() async throws {
        // Given: each tile upscaled 2× on its own, as an upscaling model would
        let image = try TestImages.photo(width: 240, height: 160)
        let grid = try TileGrid(width: 240, height: 160, tileSize: 96, overlap: 24)
        let upscaled = try image.split(into: grid).map { try $0.resize(scale: 2, kernel: .linear) }
        // When
        let joined = try Image.join(tiles: upscaled, grid: grid, scale: 2)
        // Then: close to upscaling the whole image (tile edges see less context: stated
        // tolerance mean ≤ 0.5 and max ≤ 24 levels on noisy input)
        let whole = try image.resize(scale: 2, kernel: .linear)
        #expect(joined.width == 480 && joined.height == 320)
        let difference = try joined.difference(to: whole)
        #expect(difference.mean <= 0.5 && difference.maximum <= 24, "\(difference)")
    }

    @Test func seamsAreFeatheredNotCut() async throws {
        // Two tiles processed differently (one darkened) blend smoothly across their overlap.
        let image = try TestImages.solid(width: 200, height: 64, [200, 200, 200])
        let grid = try TileGrid(width: 200, height: 64, tileSize: 128, overlap: 56)
        var tiles = try image.split(into: grid)
        tiles[1] = try TestImages.solid(width: 128, height: 64, [100, 100, 100])
        let joined = try Image.join(tiles: tiles, grid: grid)
        let row = try (0..<200).map { try joined.pixel(x: $0, y: 32)[0] }
        #expect(row[0] == 200 && row[199] == 100)
        #expect(zip(row, row.dropFirst()).allSatisfy { $0 >= $1 && $0 - $1 <= 2 })
    }

    @Test func tilesOffByAPixelAreFittedAndOthersRefused() async throws {
        let image = try TestImages.photo(width: 200, height: 100)
        let grid = try TileGrid(width: 200, height: 100, tileSize: 128, overlap: 16)
        var tiles = try image.split(into: grid)
        tiles[0] = try tiles[0].resize(width: 129, height: 100)
        #expect(try Image.join(tiles: tiles, grid: grid).width == 200)
        tiles[0] = try tiles[0].resize(width: 140, height: 100)
        expectError(.invalidArgument) { try Image.join(tiles: tiles, grid: grid) }
        expectError(.invalidArgument) { try Image.join(tiles: Array(tiles.dropLast()), grid: grid) }
        expectError(.invalidArgument) { try image.split(into: try TileGrid(width: 10, height: 10, tileSize: 8, overlap: 0)) }
        expectError(.invalidArgument) { try TileGrid(width: 100, height: 100, tileSize: 64, overlap: 32) }
    }
}

@Suite(.onTestThreads) struct AnimationTests {
    let folder = TemporaryDirectory()

    @Test func resizeKeepsEveryFrame() async throws {
        let path = try AnimationFixture.write(frames: 4, width: 40, height: 20, to: folder.path("anim.gif"))
        let animation = try Image(contentsOfFile: path, options: LoadOptions(allPages: true))
        let resized = try animation.resize(scale: 0.5)
        #expect(resized.frameCount == 4 && resized.width == 20 && resized.pageHeight == 10)
        try resized.save(to: folder.path("small.gif"))
        let reloaded = try Image(contentsOfFile: folder.path("small.gif"), options: LoadOptions(allPages: true))
        #expect(reloaded.header.frames == 4 && reloaded.width == 20 && reloaded.header.height == 10)
        for frame in 0..<4 {
            let expected = AnimationFixture.colours[frame].map(Double.init)
            #expect(try reloaded.pixel(x: 10, y: frame * 10 + 5).prefix(3).elementsEqual(expected))
        }
    }

    @Test func gifToAnimatedWebPKeepsFramesAndDelays() async throws {
        let path = try AnimationFixture.write(frames: 3, width: 16, height: 16, to: folder.path("anim.gif"))
        let gif = try Image(contentsOfFile: path, options: LoadOptions(allPages: true))
        let webp = try Image(data: try gif.data(format: .webp, options: SaveOptions(lossless: true)), options: LoadOptions(allPages: true))
        #expect(webp.header.format == .webp && webp.header.frames == 3)
        #expect(webp.header.frameDelays == [100, 100, 100])
        #expect(try webp.pixel(x: 8, y: 40).prefix(3).elementsEqual([0, 0, 255]))
        let back = try Image(data: try webp.data(format: .gif), options: LoadOptions(allPages: true))
        #expect(back.header.frames == 3)
    }

    @Test func geometryAppliesToEachFrame() async throws {
        let animation = try AnimationFixture.image(frames: 3, width: 30, height: 20)
        let rotated = try animation.rotate(degrees: 90)
        #expect(rotated.frameCount == 3 && rotated.width == 20 && rotated.pageHeight == 30)
        let cropped = try animation.crop(left: 5, top: 5, width: 10, height: 10)
        #expect(cropped.frameCount == 3 && cropped.height == 30)
        #expect(try cropped.pixel(x: 5, y: 25) == [0, 0, 255])
    }

    @Test func thumbnailsOfAnimationsKeepTheirFrames() async throws {
        let path = try AnimationFixture.write(frames: 3, width: 64, height: 32, to: folder.path("anim.webp"))
        let thumbnail = try Image.thumbnail(ofFile: path, width: 32, loading: LoadOptions(allPages: true))
        #expect(thumbnail.width == 32 && thumbnail.pageHeight == 16 && thumbnail.frameCount == 3)
        let still = try Image.thumbnail(ofFile: path, width: 32)
        #expect(still.frameCount == 1)
    }

    @Test func framesMustMatch() async throws {
        let a = try TestImages.solid(width: 4, height: 4, [1, 1, 1])
        let b = try TestImages.solid(width: 5, height: 4, [1, 1, 1])
        expectError(.invalidArgument) { try Image.animation(frames: [a, b]) }
        expectError(.invalidArgument) { try Image.animation(frames: []) }
        expectError(.invalidArgument) { try Image.animation(frames: [a, a], delays: [1, 2, 3]) }
    }
}
