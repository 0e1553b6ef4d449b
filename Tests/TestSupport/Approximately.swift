extension Array where Element == Double {
    /// Whether every value is within `tolerance` of the matching one in `other` (same length).
    public func isClose(to other: [Double], within tolerance: Double) -> Bool {
        count == other.count && zip(self, other).allSatisfy { abs($0 - $1) <= tolerance }
    }
}
