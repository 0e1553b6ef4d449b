import Foundation
public import Studio

/// How often each trait value appears among a series' approved pieces, against the share its
/// weight gives it: the numbers behind a drop's rarity ranks.
public struct RarityReport: Sendable, Codable, Equatable {
    /// One value of one trait.
    public struct Row: Sendable, Codable, Equatable {
        public var trait: String
        public var value: String
        /// Approved pieces that drew it.
        public var count: Int
        /// `count` over the approved pieces (0 when there are none).
        public var share: Double
        /// The value's weight over its trait's total weight: the share before exclusions.
        public var expected: Double
    }

    /// Approved pieces counted.
    public var pieces: Int
    public var rows: [Row]

    public init(series: GenerativeSeries, pieces: [CollectionPiece]) {
        let approved = pieces.filter { $0.state == .made && $0.review == .approved }
        self.pieces = approved.count
        rows = series.traits.flatMap { trait -> [Row] in
            let total = trait.values.reduce(0) { $0 + $1.weight }
            return trait.values.map { value in
                let count = approved.count { $0.traits[trait.name] == value.name }
                return Row(trait: trait.name, value: value.name, count: count,
                           share: approved.isEmpty ? 0 : Double(count) / Double(approved.count),
                           expected: total > 0 ? value.weight / total : 0)
            }
        }
    }

    /// The report as a plain-text table.
    public var table: String {
        let traitWidth = max(5, rows.map(\.trait.count).max() ?? 0), valueWidth = max(5, rows.map(\.value.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        func percent(_ value: Double) -> String {
            let text = String(format: "%.1f %%", value * 100)
            return String(repeating: " ", count: max(0, 8 - text.count)) + text
        }
        var lines = ["\(pad("trait", traitWidth))  \(pad("value", valueWidth))  count     share  expected"]
        for row in rows {
            let count = String(row.count)
            lines.append("\(pad(row.trait, traitWidth))  \(pad(row.value, valueWidth))  \(String(repeating: " ", count: max(0, 5 - count.count)))\(count)  \(percent(row.share))  \(percent(row.expected))")
        }
        lines.append("\(pieces) approved piece\(pieces == 1 ? "" : "s")")
        return lines.joined(separator: "\n")
    }
}
