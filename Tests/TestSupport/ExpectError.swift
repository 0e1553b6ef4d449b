public import Testing
public import Vips

/// Expects `body` to throw a ``VipsError`` with `code`; records an issue otherwise and returns
/// the error so the test can check what it says.
@discardableResult
public func expectError<Result>(_ code: VipsError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                                _ body: () throws -> Result) -> VipsError? {
    do {
        _ = try body()
        Issue.record("expected \(code) but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as VipsError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected VipsError \(code) but received \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
