import ArgumentParser
import ComfyUIModel

/// `name=value` assignments typed by a template's declared inputs (`steps=20` is a number for
/// an int input, text for a string one).
enum TemplateValues {
    /// Splits `name=value`; `--set` names the option in the message.
    static func split(_ assignment: String) throws -> (name: String, value: String) {
        guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
            throw ValidationError("--set expects name=value, not '\(assignment)'")
        }
        return (String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]))
    }

    /// Each value typed by `template`'s input of that name; an unknown name lists the inputs.
    static func parse(_ raw: [String: String], for template: WorkflowTemplate, unknown: String = "not an input") throws -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for (key, text) in raw.sorted(by: { $0.key < $1.key }) {
            guard let declared = template.inputs[key] else {
                throw ValidationError("'\(key)' is \(unknown) of template '\(template.name)' (its inputs: \(template.inputs.keys.sorted().joined(separator: ", ")))")
            }
            do { values[key] = try declared.value(parsing: text, named: key) } catch let error as ComfyUIError {
                throw ValidationError(error.message)
            }
        }
        return values
    }
}
