import CommandSupport
import ArgumentParser
import ComfyUI
import Foundation

/// A template file (graph + named inputs) or a plain API-format graph (`{"prompt": …}` or bare),
/// with `--set name=value` applied to a template's inputs.
struct GraphInput {
    var template: WorkflowTemplate?
    var graph: [String: JSONValue]

    /// `name=value` pairs; values are read as JSON when they parse (numbers, true, "text"), else as text.
    static func values(_ settings: [String]) throws -> [String: JSONValue] {
        try Dictionary(settings.map { setting in
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw ValidationError("--set takes name=value, not '\(setting)'")
            }
            let raw = String(setting[setting.index(after: equals)...])
            let value = (try? JSONDecoder().decode(JSONValue.self, from: Data(raw.utf8))) ?? .string(raw)
            return (String(setting[..<equals]), value)
        }, uniquingKeysWith: { $1 })
    }

    /// Reads `path`: a template is validated (problems name the file); a plain graph taken as is.
    static func load(_ path: String) throws -> GraphInput {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(.input, "\(path): no such file") }
        guard let json = try? JSONDecoder().decode([String: JSONValue].self, from: data) else {
            throw Failure(.input, "\(path): not a JSON object")
        }
        if json["graph"] != nil, json["inputs"] != nil || json["outputs"] != nil {
            do {
                return GraphInput(template: try WorkflowTemplate.load(file: URL(fileURLWithPath: path)), graph: [:])
            } catch let error as ComfyUIError {
                throw ComfyUIExit.failure(error)
            }
        }
        return GraphInput(template: nil, graph: json["prompt"]?.object ?? json)
    }

    /// The graph to send: the template filled with `values`, or the plain graph (refusing values).
    func filled(with values: [String: JSONValue]) throws -> (graph: [String: JSONValue], values: [String: JSONValue]) {
        guard let template else {
            if !values.isEmpty { throw ValidationError("--set needs a template; this file is a plain graph") }
            return (graph, [:])
        }
        do {
            let filled = try template.filled(with: values)
            return (filled.graph, filled.values)
        } catch let error as ComfyUIError { throw ComfyUIExit.failure(error) }
    }
}
