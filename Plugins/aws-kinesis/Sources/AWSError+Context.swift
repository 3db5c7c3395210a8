import AWSKit
import DriverKit

extension AWSError {
    /// The error as the driver reports it (`component: ` and the Go SDK's wording, as Dapr users
    /// read it), with what it was about (`table "orders"`) at the end.
    func driverError(_ component: String, about subject: String) -> DriverError {
        var error = driverError(component)
        error.message += " (\(subject))"
        return error
    }
}
