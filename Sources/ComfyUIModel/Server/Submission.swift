/// What `POST /prompt` answered for an accepted graph.
public struct Submission: Sendable, Equatable {
    public var promptID: String
    /// Queue position; ComfyUI echoes it as an int, a float or a negative int.
    public var number: Double
    /// A 200 can still carry node errors: the valid outputs run, the invalid branches are dropped.
    public var droppedBranches: [GraphProblem]

    public init(promptID: String, number: Double, droppedBranches: [GraphProblem] = []) {
        self.promptID = promptID
        self.number = number
        self.droppedBranches = droppedBranches
    }
}
