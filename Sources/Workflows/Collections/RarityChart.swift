import Foundation
import Vips

/// Draws a ``RarityReport`` as a bar chart with the library: per trait a title, then per value a
/// label, a bar as long as its share among approved pieces and a thin mark where its weight puts
/// it. Blocking libvips work: run it on the image workers.
struct RarityChart {
    let report: RarityReport

    static let width = 900, labelWidth = 260, barWidth = 560, rowHeight = 28, barHeight = 18, margin = 20
    static let barColour = Colour(red: 52, green: 120, blue: 246), markColour = Colour(red: 230, green: 60, blue: 40)

    /// The chart as PNG bytes.
    func png() throws -> Data {
        var placed: [(Image, x: Int, y: Int)] = []
        var y = Self.margin
        var currentTrait: String?
        for row in report.rows {
            if row.trait != currentTrait {
                currentTrait = row.trait
                if y > Self.margin { y += Self.rowHeight / 2 }
                placed.append((try Self.label(row.trait, bold: true), Self.margin, y))
                y += Self.rowHeight
            }
            placed.append((try Self.label(row.value, bold: false), Self.margin + 12, y))
            let length = Int((row.share * Double(Self.barWidth)).rounded())
            if length > 0 { placed.append((try Self.block(width: length, height: Self.barHeight, colour: Self.barColour), Self.labelWidth, y + 4)) }
            let mark = Self.labelWidth + min(Self.barWidth - 2, Int((row.expected * Double(Self.barWidth)).rounded()))
            placed.append((try Self.block(width: 2, height: Self.barHeight + 6, colour: Self.markColour), mark, y + 1))
            placed.append((try Self.label(String(format: "%d  (%.0f %%)", row.count, row.share * 100), bold: false),
                           Self.labelWidth + Self.barWidth + 10, y))
            y += Self.rowHeight
        }
        var canvas = try Self.block(width: Self.width + 120, height: y + Self.margin, colour: .white)
        for (image, x, top) in placed { canvas = try canvas.composite(image, x: x, y: top) }
        return try canvas.data(format: .png)
    }

    /// A solid rectangle.
    static func block(width: Int, height: Int, colour: Colour) throws -> Image {
        let pixel = [colour.red, colour.green, colour.blue].map { UInt8(max(0, min(255, $0))) }
        return try Image(pixels: pixel, width: 1, height: 1, bands: 3).padded(width: width, height: height, background: colour)
    }

    static func label(_ text: String, bold: Bool) throws -> Image {
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        return try Image.text(escaped.isEmpty ? " " : escaped, font: bold ? "sans bold 15" : "sans 13", colour: .black)
    }
}
