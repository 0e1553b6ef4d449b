public import Studio

/// What a cook reports while it runs.
public enum CookProgress: Sendable {
    /// Piece `number` is drawn and its job starts (`made` of `supply` done so far).
    case piece(number: Int, made: Int, supply: Int, prompt: String)
    /// Something the piece's job reported (held, queued, steps…).
    case generation(number: Int, MakeImage.Progress)
    /// Piece `number` is made: its image is stored and a member of the collection.
    case made(number: Int, media: String, made: Int, supply: Int)
    /// Piece `number` failed; the cook goes on unless it failed too often in a row.
    case failed(number: Int, code: String, message: String)
    /// The cook ended as the collection's cook says (finished, paused, stopped with a reason).
    case ended(MediaCollection.Cook)
}
