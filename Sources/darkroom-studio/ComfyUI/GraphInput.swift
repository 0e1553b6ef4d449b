import CommandSupport
import ArgumentParser
import ComfyUI
import ComfyUIModel
import Foundation

/// A template file (graph + named inputs) or a plain API-format graph (`{"prompt": …}` or bare),
/// with `--set name=value` applied to a template's inputs.
struct GraphInput {
    var template: WorkflowTemplate?
    var graph: [String: JSONValue]

    /// `name=value` pairs, split at the first `=`; the last of a repeated name wins.
    static func pairs(_ settings: [String]) throws -> [String: String] {
        try Dictionary(settings.map { setting in
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw ValidationError("--set takes name=value, not '\(setting)'")
            }
            return (String(setting[..<equals]), String(setting[setting.index(after: equals)...]))
        }, uniquingKeysWith: { $1 })
    }

    /// `--set` values typed by the template's declared inputs (a text input takes `42` as the
    /// text "42"). Unknown names are left as text for filling to refuse, with the list of inputs.
    func values(_ settings: [String]) throws -> [String: JSONValue] {
        let pairs = try Self.pairs(settings)
        guard let template else {
            if !pairs.isEmpty { throw ValidationError("--set needs a template; this file is a plain graph") }
            return [:]
        }
        do {
            return try pairs.reduce(into: [:]) { values, pair in
                values[pair.key] = try template.inputs[pair.key]?.value(parsing: pair.value, named: pair.key) ?? .string(pair.value)
            }
        } catch let error as ComfyUIError { throw ComfyUIExit.failure(error) }
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

    /// What to run: the template with `values`, or the plain graph.
    func source(_ values: [String: JSONValue]) -> RunRequest.Source {
        template.map { .template($0, values: values) } ?? .graph(graph)
    }

    /// The graph to send: the template filled with `values`, or the plain graph.
    func filled(with values: [String: JSONValue]) throws -> [String: JSONValue] {
        guard let template else { return graph }
        do { return try template.filled(with: values).graph } catch let error as ComfyUIError { throw ComfyUIExit.failure(error) }
    }
}
