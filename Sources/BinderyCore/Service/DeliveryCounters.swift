import Synchronization

/// Per component, what became of the input events the host took from its driver: delivered,
/// failed, or still in flight. `/v1.0/metadata` shows them as the component's `deliveries`.
///
/// Counts are kept by component name, so they add up across the generations a reload makes.
package final class DeliveryCounters: Sendable {
    package struct Counts: Sendable, Equatable {
        /// Events the app answered with a 2xx.
        package var delivered = 0
        /// Events the app answered with another status, or that never reached it.
        package var failed = 0
        /// Events taken from the driver and not yet answered: waiting for a delivery thread or
        /// with the app.
        package var inFlight = 0

        package init(delivered: Int = 0, failed: Int = 0, inFlight: Int = 0) {
            self.delivered = delivered
            self.failed = failed
            self.inFlight = inFlight
        }
    }

    private let counts = Mutex<[String: Counts]>([:])

    package init() {}

    /// One event of `component` is on its way to the app.
    package func started(_ component: String) {
        counts.withLock { $0[component, default: Counts()].inFlight += 1 }
    }

    /// One event of `component` was answered: `delivered` when the app took it (2xx).
    package func finished(_ component: String, delivered: Bool) {
        counts.withLock { counts in
            counts[component, default: Counts()].inFlight -= 1
            if delivered {
                counts[component, default: Counts()].delivered += 1
            } else {
                counts[component, default: Counts()].failed += 1
            }
        }
    }

    /// The counts of `component`; nil before its first event.
    package func counts(_ component: String) -> Counts? {
        counts.withLock { $0[component] }
    }
}
