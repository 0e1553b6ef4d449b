import Foundation
import Media
import TestSupport
import Testing

/// Every address a fetch must not reach, in every spelling, refused before any connection
/// (`checkedTarget` resolves and checks only); public addresses pass.
@Suite(.onTestThreads) struct AddressPolicyTests {
    let fetcher = MediaFetcher()

    static let refused = [
        // Loopback in every spelling a resolver reads.
        "http://127.0.0.1/", "http://127.0.0.53/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/",
        "http://0x7f000001/", "http://127.1/", "http://127.0.1/", "http://017700000001/", "http://127.0.0.1./",
        "http://localhost/", "http://[::1]/", "http://[0:0:0:0:0:0:0:1]/",
        // Unspecified.
        "http://0.0.0.0/", "http://0/", "http://[::]/",
        // IPv4 carried in IPv6.
        "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[0:0:0:0:0:ffff:7f00:1]/", "http://[::ffff:8.8.8.8]/",
        "http://[::127.0.0.1]/", "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::]/", "http://[2002:a9fe:a9fe::1]/",
        // Private, shared, link-local (cloud metadata), multicast, broadcast, reserved.
        "http://10.0.0.1/", "http://012.1/", "http://172.16.5.4/", "http://172.31.255.255/", "http://192.168.1.1/",
        "http://100.64.0.1/", "http://169.254.169.254/", "http://2852039166/", "http://0xa9fea9fe/", "http://0251.0376.0251.0376/",
        "http://[fe80::1]/", "http://[fc00::1]/", "http://[fd12:3456::1]/", "http://224.0.0.1/", "http://255.255.255.255/",
        "http://240.0.0.1/", "http://198.18.0.1/", "http://[ff02::1]/", "http://[2001:db8::1]/",
    ]

    @Test(arguments: refused)
    func refusesAddressesIntoTheServersOwnNetwork(_ address: String) async throws {
        let url = try #require(URL(string: address))
        await #expect { try await fetcher.checkedTarget(of: url) } throws: { error in
            (error as? MediaError)?.code == .fetchRefused
        }
    }

    static let badSchemes = ["file:///etc/passwd", "ftp://example.com/a.png", "gopher://example.com/", "data:image/png;base64,AAAA",
                             "http://user:secret@example.com/a.png", "http:///a.png"]

    @Test(arguments: badSchemes)
    func refusesOtherSchemesAndCredentials(_ address: String) async throws {
        let url = try #require(URL(string: address))
        await #expect { try await fetcher.checkedTarget(of: url) } throws: { error in
            (error as? MediaError)?.code == .fetchRefused
        }
    }

    @Test func publicAddressesPassAndAreConnectedToAsChecked() async throws {
        for (address, expected) in [("http://93.184.215.14/a.png", "93.184.215.14"), ("https://8.8.8.8/", "8.8.8.8"),
                                    ("http://134744072/", "8.8.8.8"), ("http://[2606:4700:4700::1111]/", "2606:4700:4700::1111")] {
            let target = try await fetcher.checkedTarget(of: URL(string: address)!)
            #expect(target.address.description == expected)
        }
    }

    @Test func theRefusalNamesTheAddressAndWhatItIs() async throws {
        do {
            _ = try await fetcher.checkedTarget(of: URL(string: "http://0xa9fea9fe/latest/meta-data")!)
            Issue.record("the metadata address was not refused")
        } catch let error as MediaError {
            #expect(error.message.contains("169.254.169.254") && error.message.contains("link-local"))
        }
    }

    @Test func anAllowListOpensOnlyWhatItNames() async throws {
        let open = MediaFetcher(limits: FetchLimits(addresses: AddressPolicy(allowed: [IPNetwork("127.0.0.0/8")!])))
        #expect(try await open.checkedTarget(of: URL(string: "http://127.1/")!).address == IPAddress("127.0.0.1"))
        for stillRefused in ["http://10.0.0.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://169.254.169.254/"] {
            await #expect(throws: MediaError.self) { try await open.checkedTarget(of: URL(string: stillRefused)!) }
        }
    }

    @Test func networksParseAndContain() throws {
        #expect(IPNetwork("10.0.0.0/8")!.contains(IPAddress("10.255.1.2")!))
        #expect(!IPNetwork("10.0.0.0/8")!.contains(IPAddress("11.0.0.1")!))
        #expect(IPNetwork("fd00::/8")!.contains(IPAddress("fd12::1")!))
        #expect(!IPNetwork("10.0.0.0/8")!.contains(IPAddress("::ffff:10.0.0.1")!))
        #expect(IPNetwork("10.0.0.0/33") == nil && IPNetwork("nonsense") == nil && IPNetwork("::/129") == nil)
        #expect(IPAddress("example.com") == nil && IPAddress("1.2.3.4.5") == nil && IPAddress("256.1.1.1") == nil)
        #expect(IPAddress("1.2.3.256") == nil && IPAddress("1.65535")?.description == "1.0.255.255")
    }
}
