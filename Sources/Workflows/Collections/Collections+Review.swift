public import Studio

extension Collections {
    /// The collection's pieces by number.
    public func pieces(of id: String, owner: UserID) async throws -> [CollectionPiece] {
        _ = try await collection(id, owner: owner)
        return try await withWorkflowErrors { try await dependencies.collections.pieces(of: id) }
    }

    /// Approves or rejects made pieces (by number); a decision can be changed. Pieces not made
    /// are refused with `collection_state_conflict`, unknown numbers with `collection_not_found`,
    /// before any piece changes.
    public func review(_ id: String, owner: UserID, pieces numbers: [Int], approve: Bool) async throws -> [CollectionPiece] {
        _ = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            let pieces = Dictionary(try await dependencies.collections.pieces(of: id).map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
            var changed: [CollectionPiece] = []
            for number in numbers {
                guard var piece = pieces[number] else { throw StudioError(.collectionNotFound, "collection \(id) has no piece \(number)") }
                guard piece.state == .made else {
                    throw StudioError(.collectionStateConflict, "piece \(number) is \(piece.state.rawValue); only made pieces are reviewed")
                }
                piece.review = approve ? .approved : .rejected
                piece.updatedAt = dependencies.clock.now()
                changed.append(piece)
            }
            for piece in changed { _ = try await dependencies.collections.update(piece, expecting: [.made]) }
            return changed
        }
    }

    /// How the approved pieces' traits came out against their weights.
    public func rarity(of id: String, owner: UserID) async throws -> RarityReport {
        let collection = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            guard let series = collection.series else {
                throw StudioError(.collectionStateConflict, "collection \(id) has no series, so no traits to count")
            }
            return RarityReport(series: series, pieces: try await dependencies.collections.pieces(of: id))
        }
    }
}
