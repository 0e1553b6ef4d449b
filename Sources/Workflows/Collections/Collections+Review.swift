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

    /// Makes pieces again: each named piece (made or failed, not while the collection cooks) goes
    /// back to `planned`, drawn afresh under the series' current configuration (the same draw,
    /// when the configuration is unchanged), its image taken out of the collection (the media
    /// itself stays in the history); the next cook makes them first.
    public func redo(_ id: String, owner: UserID, pieces numbers: [Int]) async throws -> [CollectionPiece] {
        let collection = try await collection(id, owner: owner)
        return try await withWorkflowErrors {
            guard let series = collection.series else {
                throw StudioError(.collectionStateConflict, "collection \(id) has no series to draw pieces from")
            }
            guard collection.cook.state != .cooking else {
                throw StudioError(.collectionStateConflict, "collection \(id) is cooking; pause or stop it first")
            }
            let master = try Self.parse(series)
            let store = dependencies.collections
            let pieces = Dictionary(try await store.pieces(of: id).map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
            var redrawn: [CollectionPiece] = []
            for number in numbers {
                guard let piece = pieces[number] else { throw StudioError(.collectionNotFound, "collection \(id) has no piece \(number)") }
                guard piece.state == .made || piece.state == .failed else {
                    throw StudioError(.collectionStateConflict, "piece \(number) is \(piece.state.rawValue); only made or failed pieces are made again")
                }
                let draw = series.draw(piece: number, prompt: master)
                var again = CollectionPiece(collection: id, number: number, traits: draw.traits.mapValues(\.name), prompt: draw.prompt,
                                            seed: draw.seed, configHash: series.configHash, createdAt: piece.createdAt)
                again.updatedAt = dependencies.clock.now()
                redrawn.append(again)
            }
            for (piece, again) in zip(numbers.compactMap { pieces[$0] }, redrawn) {
                guard try await store.update(again, expecting: [piece.state]) else { continue }
                if let media = piece.media { _ = try await store.remove(media, from: id) }
            }
            return redrawn
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
