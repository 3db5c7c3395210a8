import CCurl

/// A transfer on an easy handle its owner configured itself, for a protocol `CurlRequest` does
/// not describe (bindings.smtp's SMTP submissions): a `CurlClient`'s worker adds the handle to its
/// multi handle, drives it beside the HTTP exchanges, and reports how it ended, exactly once.
///
/// The conforming class owns the handle and everything its options point at (buffers, lists,
/// callbacks' context) until one of the two calls below; the worker never sets an option.
public protocol CurlEasyTransfer: AnyObject, Sendable {
    /// The configured `CURL*`.
    var easyHandle: UnsafeMutableRawPointer { get }
    /// curl finished the transfer with `code` (CURLMSG_DONE); called on the worker thread.
    func finish(_ code: CURLcode)
    /// The transfer did not run to its end: the client is not started or is stopping, or curl
    /// refused the handle. Called on the worker thread, or on the caller's when it was refused.
    func fail(_ error: CurlError)
}
