/// Sends the response to one request. Call `send` exactly once, from any thread, at any time:
/// the connection's loop writes responses in request order. A second call is ignored; a
/// response for a connection that has since closed is dropped.
struct HTTPResponder: Sendable {
    let loop: HTTPEventLoop
    let connection: UInt64
    let sequence: UInt64

    func send(_ response: HTTPResponse) {
        loop.complete(HTTPEventLoop.Completion(connection: connection, sequence: sequence, response: response))
    }
}
