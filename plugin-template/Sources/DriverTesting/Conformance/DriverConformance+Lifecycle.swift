import PluginABI

extension DriverConformance {
    /// One instance for `direction`, taken through its whole life; every call must complete.
    func lifecycleProblems(_ driver: DriverLibrary, _ example: ComponentExample, direction: String) async -> [String] {
        let label = "\(direction) instance of \(example.name)"
        let instance: TestInstance
        do {
            instance = try TestInstance(
                driver, component: example.name, directions: direction == "input" ? BD_DIR_INPUT : BD_DIR_OUTPUT,
                metadata: creationMetadata(driver.descriptor, example))
        } catch {
            return ["\(label): \(error)"]
        }
        var problems: [String] = []
        func expectSuccess(_ step: String, _ result: CallResult) {
            if result.ending != .completed || result.status != BD_OK {
                problems.append("\(label): \(step) ended with \(result.summary)")
            }
        }
        let started = await instance.start(timeout: timeout)
        expectSuccess("init", started)
        if started.ending == .completed, started.status == BD_OK {
            if direction == "output" {
                problems += await invokeProblems(instance, driver.descriptor.operations, label: label)
            }
            if direction == "input" {
                let inputStarted = await instance.startInput(timeout: timeout)
                expectSuccess("start_input", inputStarted)
                if inputStarted.status == BD_OK, let trigger = inputTrigger {
                    problems += await eventProblems(instance, trigger: trigger, label: label)
                }
                instance.acknowledgeEvents()
            }
        }
        expectSuccess("stop", await instance.stop(timeout: timeout))
        expectSuccess("a second stop", await instance.stop(timeout: timeout))
        instance.destroy()
        problems += instance.record.violations.map { "\(label): \($0)" }
        if !problems.isEmpty, !instance.record.logs.isEmpty {
            problems.append("\(label) logged:\n" + instance.record.logs.joined(separator: "\n"))
        }
        return problems
    }

    /// After `trigger`, input emits an event within the timeout.
    private func eventProblems(
        _ instance: TestInstance, trigger: @Sendable () async throws -> Void, label: String
    ) async -> [String] {
        do {
            try await trigger()
        } catch {
            return ["\(label): the input trigger failed: \(error)"]
        }
        guard await instance.record.waitForEvent(timeout: timeout) else {
            return ["\(label): no event within \(timeout) of the input trigger"]
        }
        return []
    }

    /// Each declared operation completes (success, or an error with a message) and is not
    /// refused as unsupported; an undeclared one is refused with BD_E_UNSUPPORTED.
    private func invokeProblems(_ instance: TestInstance, _ operations: [String], label: String) async -> [String] {
        var problems: [String] = []
        for operation in operations {
            let request = requests[operation] ?? Request()
            let result = await instance.invoke(
                operation, data: request.data, metadata: request.metadata.sorted { $0.key < $1.key }, timeout: timeout)
            if result.status != BD_OK {
                // Allowed (a declared operation may fail with a message), but a test that then
                // looks for the operation's effect needs to know why it is missing.
                print("conformance \(label): operation \(operation) ended with \(result.summary)")
            }
            switch result.ending {
            case .timedOut:
                problems.append("\(label): operation \(operation) had \(result.summary)")
            case .refused where result.status == BD_E_UNSUPPORTED:
                problems.append("\(label): declared operation \(operation) \(result.summary)")
            case .completed where result.status != BD_OK && result.message.isEmpty:
                problems.append(
                    "\(label): operation \(operation) failed with \(ABIStatus.name(result.status)) and no message")
            default:
                break
            }
        }
        let undeclared = await instance.invoke("conformance-undeclared-operation", timeout: timeout)
        if undeclared.status != BD_E_UNSUPPORTED || undeclared.ending == .timedOut {
            problems.append(
                "\(label): an undeclared operation ended with \(undeclared.summary), expected BD_E_UNSUPPORTED")
        }
        return problems
    }
}
