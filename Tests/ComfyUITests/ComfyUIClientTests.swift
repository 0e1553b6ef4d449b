import ComfyUI
import ComfyUIModel
import Foundation
import Testing
import TestSupport
import ComfyUITestSupport
import Vips

/// The client against a server that misbehaves on purpose (the test server can be told to);
/// what a healthy server does is in `ServerScenarioTests`.
@Suite(.onTestThreads) struct ComfyUIClientTests {
    func withServer(_ body: (ComfyUITestServer, ComfyUIClient) async throws -> Void) async throws {
        let server = try await ComfyUITestServer.start()
        do { try await body(server, server.client()) } catch { await server.stop(); throw error }
        await server.stop()
    }

    /// Said at once, not at the request's deadline (AsyncHTTPClient alone retries a refused
    /// connection until then): the limit fails the test well before the 5-minute timeout. It
    /// takes 0.3 s alone; the limit is generous because it also counts the time the test waits
    /// for a thread while the first minutes of a full run keep a 2-core machine busy.
    @Test(.timeLimit(.minutes(3))) func anUnreachableServerIsSaidSoWithoutWaitingForTheTimeout() async throws {
        let client = ComfyUIClient(baseURL: URL(string: "http://127.0.0.1:9")!, requestTimeout: .seconds(300))
        do { _ = try await client.systemStats(); Issue.record("reached a closed port") }
        catch { #expect(ComfyUIError.Code.serverUnreachable ~= error, "\(error)") }
    }

    @Test func aFailingOrSlowServerGivesTypedErrors() async throws {
        try await withServer { server, client in
            await server.setBehaviour(.failSubmissions)
            do { _ = try await client.submit(Graphs.scaled(), clientID: "t"); Issue.record("accepted") }
            catch { #expect(ComfyUIError.Code.badResponse ~= error) }
            await server.setBehaviour(.slow(.seconds(2)))
            let impatient = server.client(requestTimeout: .milliseconds(300))
            do { _ = try await impatient.queue(); Issue.record("answered in time") }
            catch { #expect(ComfyUIError.Code.timedOut ~= error, "\(error)") }
        }
    }
}
