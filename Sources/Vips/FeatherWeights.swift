/// One axis of a feathered tile join: for each tile, a weight per output pixel that ramps
/// linearly across the bands it shares with its neighbours, normalised so that the weights of
/// all tiles covering a pixel sum to one.
struct FeatherWeights {
    struct Span { var start: Int; var length: Int; var end: Int { start + length } }

    private let spans: [Span]
    private let normalised: [[Float]]

    /// The output spans of tiles starting at `starts` (input pixels), `size` long, after `scale`.
    static func spans(starts: [Int], size: Int, scale: Double) -> [Span] {
        starts.map { start in
            let from = Int((Double(start) * scale).rounded())
            let to = Int((Double(start + size) * scale).rounded())
            return Span(start: from, length: to - from)
        }
    }

    init(spans: [Span], length: Int) {
        self.spans = spans
        let raw: [[Double]] = spans.indices.map { index in
            let span = spans[index]
            return (0..<span.length).map { offset in
                let centre = Double(span.start + offset) + 0.5
                var weight = 1.0
                if index > 0, spans[index - 1].end > span.start {
                    weight = min(weight, (centre - Double(span.start)) / Double(spans[index - 1].end - span.start))
                }
                if index + 1 < spans.count, spans[index + 1].start < span.end {
                    weight = min(weight, (Double(span.end) - centre) / Double(span.end - spans[index + 1].start))
                }
                return max(weight, 1e-6)
            }
        }
        var totals = [Double](repeating: 0, count: length)
        for (span, weights) in zip(spans, raw) {
            for (offset, weight) in weights.enumerated() where span.start + offset < length {
                totals[span.start + offset] += weight
            }
        }
        normalised = zip(spans, raw).map { span, weights in
            weights.enumerated().map { offset, weight in
                let total = span.start + offset < length ? totals[span.start + offset] : weight
                return Float(weight / total)
            }
        }
    }

    /// The normalised weights of tile `index`, one per pixel of its span.
    func weights(of index: Int) -> [Float] { normalised[index] }
}
