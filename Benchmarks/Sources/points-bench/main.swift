// Holds and settlements per second, and a hold's latency, on SQLite and on PostgreSQL with one
// and two instances (two connection pools over one database, as two `darkroom serve` would have).
// Each client loops: hold 1 point for a new job, settle it at 1. Users are spread over the clients,
// so some holds contend for one account, as users' requests do.
//   points-bench --engine sqlite|postgres [--url postgres://…] [--instances 1|2] [--clients 32] [--users 100] [--seconds 10]
// Prints one line for people and one JSON object (the last line) for scripts.
import Foundation
import Studio
import StudioPostgres
import StudioSQLite

struct Options {
    var engine = "sqlite"
    var url = ProcessInfo.processInfo.environment["DARKROOM_POSTGRES_URL"] ?? ""
    var instances = 1
    var clients = 32
    var users = 100
    var seconds = 10.0

    init(_ arguments: [String]) {
        var rest = arguments.makeIterator()
        while let flag = rest.next() {
            let value = rest.next() ?? ""
            switch flag {
            case "--engine": engine = value
            case "--url": url = value
            case "--instances": instances = Int(value) ?? 1
            case "--clients": clients = Int(value) ?? 32
            case "--users": users = Int(value) ?? 100
            case "--seconds": seconds = Double(value) ?? 10
            default: FileHandle.standardError.write(Data("points-bench: unknown option \(flag)\n".utf8)); exit(64)
            }
        }
    }
}

/// Hold latencies (seconds) and completed pairs, gathered by the clients.
actor Tally {
    var latencies: [Double] = []
    var pairs = 0
    var failures: [String: Int] = [:]

    func record(_ latencies: [Double], pairs: Int, failures: [String: Int]) {
        self.latencies += latencies
        self.pairs += pairs
        self.failures.merge(failures, uniquingKeysWith: +)
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
var closers: [@Sendable () async -> Void] = []
var stores: [any PointsStore] = []
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("points-bench-\(UUID().uuidString)")
switch options.engine {
case "sqlite":
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for _ in 0..<options.instances { stores.append(try StudioDatabase(path: folder.appendingPathComponent("studio.sqlite").path).points) }
case "postgres":
    let address = try PostgresAddress(url: options.url).inSchema("bench_\(UUID().uuidString.prefix(8).lowercased())")
    for _ in 0..<options.instances {
        let database = try await PostgresDatabase.open(address, connections: max(4, options.clients / options.instances))
        stores.append(database.points)
        closers.append { await database.close() }
    }
    closers.insert({ if let database = try? await PostgresDatabase.open(address, connections: 1) {
        try? await database.dropSchema()
        await database.close()
    } }, at: 0)
default:
    FileHandle.standardError.write(Data("points-bench: --engine is sqlite or postgres\n".utf8))
    exit(64)
}

let users = (0..<options.users).map { UserID("bench:\($0)")! }
let services = stores.map { PointsService(store: $0) }
for user in users { try await services[0].addCredits(10_000_000, to: user, key: "bench-\(user)") }

let tally = Tally()
let start = ContinuousClock.now
let end = start + .milliseconds(Int64(options.seconds * 1_000))
await withTaskGroup(of: Void.self) { group in
    for client in 0..<options.clients {
        let points = services[client % services.count]
        group.addTask {
            var latencies: [Double] = []
            var pairs = 0
            var failures: [String: Int] = [:]
            var index = 0
            while ContinuousClock.now < end {
                let user = users[(client + index * options.clients) % users.count]
                index += 1
                let job = "bench-\(client)-\(index)"
                let before = ContinuousClock.now
                do {
                    try await points.hold(user: user, job: job, estimate: 1)
                    let held = ContinuousClock.now - before
                    latencies.append(Double(held.components.seconds) + Double(held.components.attoseconds) / 1e18)
                    try await points.settle(job: job, cost: 1)
                    pairs += 1
                } catch {
                    failures["\(error)".prefix(80).description, default: 0] += 1
                }
            }
            await tally.record(latencies, pairs: pairs, failures: failures)
        }
    }
}
let elapsed = ContinuousClock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let sorted = await tally.latencies.sorted()
func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1_000 }
let pairs = await tally.pairs
let failures = await tally.failures
let rate = Double(pairs) / seconds
let label = "\(options.engine == "sqlite" ? "SQLite" : "PostgreSQL"), \(options.instances) instance\(options.instances == 1 ? "" : "s"), \(options.clients) clients"
print(String(format: "%@: %.0f hold+settle pairs/s, hold p50 %.2f ms, p99 %.2f ms%@", label, rate, percentile(0.5), percentile(0.99),
             failures.isEmpty ? "" : ", failures: \(failures)"))
let report: [String: Any] = ["engine": options.engine, "instances": options.instances, "clients": options.clients, "users": options.users,
                             "pairs_per_second": rate, "hold_p50_ms": percentile(0.5), "hold_p99_ms": percentile(0.99),
                             "failures": failures.values.reduce(0, +)]
print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: .sortedKeys), as: UTF8.self))
for close in closers.reversed() { await close() }
try? FileManager.default.removeItem(at: folder)
