// Drivers read durations, sizes and field types from DaprMetadata through DriverKit's API, so
// importing DriverKit is enough (the host imports DaprMetadata itself: one implementation).
@_exported import DaprMetadata
// The dedicated-thread helper every driver with a blocking C client uses.
@_exported import SystemThreads
