/// Sends the response to one request. Call `send` exactly once, from any thread, at any time:
/// the connection's loop writes responses in request order. A second call is ignored; a
/// response for a connection that has since closed is dropped.
package struct HTTPResponder: Sendable {
    package let loop: HTTPEventLoop
    package let connection: UInt64
    package let sequence: UInt64

    package func send(_ response: HTTPResponse) {
        loop.complete(HTTPEventLoop.Completion(connection: connection, sequence: sequence, response: response))
    }
}
