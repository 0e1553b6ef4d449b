/// Something in a graph that a server would refuse, in our words: node, class, input.
public struct GraphProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    public var node: String
    public var classType: String?
    public var input: String?
    public var message: String
    /// What kind of problem, in ComfyUI's own names (`value_not_in_list`, `required_input_missing`,
    /// …), whether the server reported it or ``GraphChecker`` found it first; `nil` when neither
    /// says (a template input, a run-time failure).
    public var code: String?

    public init(node: String, classType: String?, input: String?, message: String, code: String? = nil) {
        self.node = node
        self.classType = classType
        self.input = input
        self.message = message
        self.code = code
    }

    /// `node 3 (KSampler) input 'steps': 0 is below the minimum 1`.
    public var description: String {
        var text = "node \(node)"
        if let classType { text += " (\(classType))" }
        if let input { text += " input '\(input)'" }
        return text + ": " + message
    }
}
