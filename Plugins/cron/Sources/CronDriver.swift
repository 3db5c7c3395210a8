import DriverKit
import PluginABI

/// `bindings.cron`: an input binding that fires an empty event on a cron schedule.
final class CronDriver: BindingDriver {
    enum Key: String, MetadataKey { case schedule }

    static let descriptor = DriverDescriptor(
        type: "bindings.cron",
        version: "1.0.0",
        summary: "Triggers the app on a cron schedule (robfig/cron syntax, optional seconds, @every, CRON_TZ=).",
        directions: [.input],
        operations: [],
        inputMayOverlap: false,
        fields: [
            MetadataField(
                Key.schedule, required: true,
                description: "When to fire: 5 fields \"min hour day-of-month month day-of-week\" or 6 with "
                    + "seconds first (e.g. \"0 30 * * * *\"); descriptors @yearly, @monthly, @weekly, "
                    + "@daily, @hourly, or @every <duration> (e.g. \"@every 15s\", \"@every 100ms\"). "
                    + "Prefix \"CRON_TZ=Europe/Paris \" to use a zone other than the process's local one.")
        ])

    let schedule: CronSchedule
    private let timer: CronTimer

    convenience init(configuration: DriverConfiguration, host: DriverHost) throws {
        try self.init(configuration: configuration, clock: SystemClock()) { level, message in host.log(level, message) }
    }

    /// Parses the schedule and loads its zone (one small tzdata read, as Go's LoadLocation does
    /// in Dapr's Init); `clock` and `log` are injected by tests.
    init(configuration: DriverConfiguration, clock: any WallClock, log: @escaping CronTimer.Log) throws {
        let text = try ComponentMetadata(configuration, fields: Self.descriptor.fields).required(Key.schedule)
        do {
            schedule = try CronParser.parse(text)
        } catch {
            throw DriverError(.invalidArgument, "invalid schedule format '\(text)': \(error)")
        }
        timer = CronTimer(schedule: schedule, clock: clock, log: log)
    }

    func startInput(_ events: EventSink) async throws {
        try startInput { metadata in events.emit([], metadata: metadata) }
    }

    /// Starts the timer with any emitter (tests pass a closure instead of an `EventSink`).
    func startInput(emit: @escaping CronTimer.Emit) throws {
        guard timer.start(emit) else { throw DriverError(.invalidArgument, "input is already started") }
    }

    /// Cancels the timer and waits for it: no tick is emitted after this returns.
    func stop() async {
        await timer.stop()
    }

    /// True while the firing loop runs (tests check that stop ends it).
    var isTimerRunning: Bool { timer.isRunning }
}

/// The driver this library exports (Plugins/cron/Entry).
public let exportedDriver: any BindingDriver.Type = CronDriver.self
