public import ComfyUIModel

/// What a running mediaProcessing request reports, for a front end's progress line.
public enum MediaProcessingProgress: Sendable {
    /// The input is stored and its size known.
    case inputReady(mediaID: String, width: Int, height: Int)
    /// Points were reserved for the ComfyUI work.
    case held(points: Int)
    /// Tile `index` (from 1) of `count` goes to ComfyUI; a whole-image run is tile 1 of 1.
    case tile(index: Int, count: Int)
    /// An event of the tile's ComfyUI run (queued, node, step, preview…).
    case generation(RunEvent)
    /// The result is being joined, encoded and stored.
    case finishing
}
