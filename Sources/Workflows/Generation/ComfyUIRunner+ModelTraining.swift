public import ComfyUI
public import ComfyUIModel
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension ComfyUIRunner: ModelTraining {
    public func submit(_ template: WorkflowTemplate, values: [String: JSONValue], folders: [String: UploadFolder], deadline: Duration,
                       onEvent: @escaping @Sendable (RunEvent) -> Void) async throws -> any GenerationInProgress {
        let uploads = folders.mapValues { folder in
            RunRequest.Folder(name: folder.name, files: folder.files.sorted { $0.key < $1.key }.map { RunRequest.Upload(data: $0.value, filename: $0.key) })
        }
        let request = RunRequest(.template(template, values: values), folders: uploads, clientID: ClientID.new("train"), deadline: deadline)
        return try await submit(request, onEvent: onEvent)
    }

    public func outputFile(named name: String, subfolder: String, on server: URL, maxBytes: Int) async throws -> Data? {
        try await pool.client(for: server).file(OutputImage(filename: name, subfolder: subfolder, type: "output"), maxBytes: maxBytes)
    }

    public func currentChoices(classType: String, input: String, on server: URL) async throws -> [String]? {
        await pool.forgetObjectInfo(of: server)
        let info = try await pool.objectInfo(of: await pool.client(for: server))
        return Self.choices(in: info, classType: classType, input: input)
    }
}
