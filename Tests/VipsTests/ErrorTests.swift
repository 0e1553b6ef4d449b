import Foundation
import Testing
import TestSupport
import Vips

/// Every error code on real bad input: never a crash, never a half-written file.
@Suite(.onTestThreads) struct ErrorTests {
    let folder = TemporaryDirectory()

    func photoJPEG(width: Int = 200, height: Int = 150) throws -> Data {
        try TestImages.photo(width: width, height: height).data(format: .jpeg, options: SaveOptions(quality: 90))
    }

    @Test func aMissingFileIsFileNotFound() {
        let error = expectError(.fileNotFound) { try Image(contentsOfFile: folder.path("nope.jpg")) }
        #expect(error?.input == folder.path("nope.jpg"))
    }

    @Test func aDirectoryIsFileNotFound() {
        expectError(.fileNotFound) { try Image(contentsOfFile: folder.url.path) }
    }

    @Test func anEmptyFileAndEmptyDataAreEmptyInput() async throws {
        let path = try folder.write(Data(), to: "empty.png")
        expectError(.emptyInput) { try Image(contentsOfFile: path) }
        expectError(.emptyInput) { try Image(data: Data()) }
    }

    @Test func textIsUnsupportedFormatWhateverItsExtension() async throws {
        let path = try folder.write(Data("hello, not an image\n".utf8), to: "notes.jpg")
        let error = expectError(.unsupportedFormat) { try Image(contentsOfFile: path) }
        #expect(error?.description.contains("notes.jpg") == true)
        expectError(.unsupportedFormat) { try Image(data: Data("plain text".utf8)) }
    }

    @Test func aCorruptHeaderIsLoadFailed() async throws {
        let path = try folder.write(BadInputs.corruptJPEG, to: "corrupt.jpg")
        expectError(.loadFailed) { try Image(contentsOfFile: path) }
        expectError(.loadFailed) { try Image(data: BadInputs.corruptJPEG) }
    }

    @Test(arguments: [ImageFormat.jpeg, .png])
    func aTruncatedFileFailsAsLoadFailedNamingItAndWritesNothing(format: ImageFormat) async throws {
        // Given: a real image cut short; its header still reads
        let whole = try TestImages.photo(width: 300, height: 200).data(format: format)
        let path = try folder.write(BadInputs.truncated(whole, keeping: 0.5), to: "cut.\(format.fileExtension)")
        let image = try Image(contentsOfFile: path)
        #expect(image.width == 300)
        // When: the pixels are needed
        let error = expectError(.loadFailed) { try image.resize(scale: 0.5).save(to: folder.path("out.png")) }
        // Then
        #expect(error?.input == path)
        #expect(folder.entries() == ["cut.\(format.fileExtension)"])
    }

    @Test func aTruncatedFileIsAlsoRefusedByThumbnail() async throws {
        let path = try folder.write(BadInputs.truncated(try photoJPEG(), keeping: 0.4), to: "cut.jpg")
        expectError(.loadFailed) { try Image.thumbnail(ofFile: path, width: 50).data(format: .jpeg) }
    }

    @Test func aLenientLoadDecodesATruncatedFile() async throws {
        let path = try folder.write(BadInputs.truncated(try photoJPEG(), keeping: 0.5), to: "cut.jpg")
        let image = try Image(contentsOfFile: path, options: LoadOptions(failOn: .none))
        #expect(try image.data(format: .png).count > 0)
    }

    @Test func aJPEGBombIsRefusedFromItsHeader() async throws {
        // 60 000 × 60 000 claimed by a 5 kB file: 3.6 gigapixels, never allocated
        let bomb = BadInputs.jpeg(try photoJPEG(width: 64, height: 64), claimingWidth: 60_000, height: 60_000)
        let path = try folder.write(bomb, to: "bomb.jpg")
        let error = expectError(.limitExceeded) { try Image(contentsOfFile: path) }
        #expect(error?.message.contains("60000×60000") == true)
        expectError(.limitExceeded) { try Image.thumbnail(ofFile: path, width: 100) }
        expectError(.limitExceeded) { try Image(data: bomb) }
    }

    @Test func aPNGBombIsRefusedFromItsHeader() async throws {
        let bomb = BadInputs.png(try TestImages.photo(width: 32, height: 32).data(format: .png),
                                 claimingWidth: 200_000, height: 100_000)
        let path = try folder.write(bomb, to: "bomb.png")
        expectError(.limitExceeded) { try Image(contentsOfFile: path) }
        expectError(.limitExceeded) { try Image.thumbnail(data: bomb, width: 64) }
    }

    @Test func theLimitsAreTheCallersToSet() async throws {
        let path = try folder.write(try photoJPEG(), to: "photo.jpg")
        expectError(.limitExceeded) { try Image(contentsOfFile: path, options: LoadOptions(limits: Limits(maxPixels: 10_000))) }
        expectError(.limitExceeded) { try Image(contentsOfFile: path, options: LoadOptions(limits: Limits(maxInputBytes: 1_000))) }
        #expect(try Image(contentsOfFile: path, options: LoadOptions(limits: .unlimited)).width == 200)
    }

    @Test func tooManyFramesIsLimitExceeded() async throws {
        let path = try AnimationFixture.write(frames: 5, width: 8, height: 8, to: folder.path("anim.gif"))
        let options = LoadOptions(limits: Limits(maxFrames: 3), allPages: true)
        let error = expectError(.limitExceeded) { try Image(contentsOfFile: path, options: options) }
        #expect(error?.message.contains("5 frames") == true)
        // Only the first frame is loaded without allPages: no limit is hit.
        #expect(try Image(contentsOfFile: path, options: LoadOptions(limits: Limits(maxFrames: 3))).height == 8)
    }

    @Test func anUntrustedLoaderIsBlockedByDefault() async throws {
        let path = try folder.write(BadInputs.ppm, to: "tiny.ppm")
        // The file is a valid image: the vips tool (no blocking) reads it.
        try await Command("vips", ["copy", path, folder.path("tiny.png")]).check()
        expectError(.untrustedFormat) { try Image(contentsOfFile: path) }
    }

    @Test func badSaveRequestsAreRefusedClearly() async throws {
        let image = try TestImages.photo(width: 20, height: 20)
        expectError(.unsupportedFormat) { try image.save(to: folder.path("out.xyz")) }
        expectError(.unsupportedFormat) { try image.save(to: folder.path("no-extension")) }
        expectError(.saveFailed) { try image.save(to: folder.path("missing/out.jpg")) }
        expectError(.invalidArgument) { try image.data(format: .jpeg, options: SaveOptions(quality: 0)) }
        expectError(.invalidArgument) { try image.data(format: .jpeg, options: SaveOptions(effort: 3)) }
        expectError(.invalidArgument) { try image.data(format: .jpeg, options: SaveOptions(lossless: true)) }
        expectError(.invalidArgument) { try image.data(format: .webp, options: SaveOptions(effort: 7)) }
        expectError(.invalidArgument) { try image.data(format: .gif, options: SaveOptions(quality: 50)) }
        #expect(folder.entries().isEmpty)
    }

    @Test func badOperationArgumentsAreInvalidArgument() async throws {
        let image = try TestImages.photo(width: 40, height: 30)
        let crop = expectError(.invalidArgument) { try image.crop(left: 30, top: 0, width: 20, height: 10) }
        #expect(crop?.message == "expected a box inside 40×30 but received 20×10 at 30,0")
        expectError(.invalidArgument) { try image.resize(scale: 0) }
        expectError(.invalidArgument) { try image.resize(scale: 0.001) }
        expectError(.invalidArgument) { try image.thumbnail(width: 0) }
        expectError(.invalidArgument) { try image.thumbnail(width: 10, options: ThumbnailOptions(crop: .centre)) }
        expectError(.invalidArgument) { try image.rotate(degrees: .nan) }
        expectError(.invalidArgument) { try image.composite(image, x: 0, y: 0, opacity: 1.5) }
        expectError(.invalidArgument) { try Image.text("") }
        expectError(.invalidArgument) { try Image.grid([], columns: 2) }
    }

    @Test func theDescriptionPutsOurWordsFirstAndLibvipsLast() async throws {
        let path = try folder.write(BadInputs.corruptJPEG, to: "corrupt.jpg")
        let error = expectError(.loadFailed) { try Image(contentsOfFile: path) }
        let description = try #require(error?.description)
        #expect(description.hasPrefix("load_failed: load '\(path)': "))
        #expect(error?.detail != nil && description.hasSuffix(")"))
        #expect(error.map { VipsError.Code.loadFailed ~= $0 } == true)
    }
}
