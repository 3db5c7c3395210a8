/// The methods of `dapr.proto.runtime.v1.Dapr` and which of them bindery serves.
package enum DaprMethods {
    package static let service = "dapr.proto.runtime.v1.Dapr"

    /// InvokeBinding's `:path`.
    package static var invokeBindingPath: String { "/dapr.proto.runtime.v1.Dapr/InvokeBinding" }

    /// What bindery serves: output bindings and the sidecar's metadata.
    package static let served: Set<String> = ["InvokeBinding", "GetMetadata", "SetMetadata"]

    /// Every other method of the service, streaming ones included: the union of daprd's
    /// dapr/proto/runtime/v1/dapr.proto and the Python SDK 1.19's dapr_pb2 (a test checks the
    /// latter against this list). Each answers UNIMPLEMENTED
    /// naming the method, rather than grpc-go's "unknown method", so a client learns that bindery,
    /// not a typo, is the reason.
    package static let unimplemented: Set<String> = [
        // State, pub/sub, service invocation.
        "InvokeService", "GetState", "GetBulkState", "SaveState", "QueryStateAlpha1", "DeleteState",
        "DeleteBulkState", "ExecuteStateTransaction", "PublishEvent", "BulkPublishEventAlpha1", "BulkPublishEvent",
        "SubscribeTopicEventsAlpha1",
        // Secrets, actors.
        "GetSecret", "GetBulkSecret", "RegisterActorTimer", "UnregisterActorTimer", "RegisterActorReminder",
        "UnregisterActorReminder", "UnregisterActorRemindersByType", "ListActorReminders", "ListActorTimers",
        "GetActorState", "GetActorReminder", "GetActorTimer", "ExecuteActorStateTransaction", "InvokeActor",
        "SubscribeActorEventsAlpha1",
        // Configuration, locks, cryptography.
        "GetConfigurationAlpha1", "GetConfiguration", "SubscribeConfigurationAlpha1", "SubscribeConfiguration",
        "UnsubscribeConfigurationAlpha1", "UnsubscribeConfiguration", "TryLockAlpha1", "UnlockAlpha1",
        "EncryptAlpha1", "DecryptAlpha1", "SubtleGetKeyAlpha1", "SubtleEncryptAlpha1", "SubtleDecryptAlpha1",
        "SubtleWrapKeyAlpha1", "SubtleUnwrapKeyAlpha1", "SubtleSignAlpha1", "SubtleVerifyAlpha1",
        // Workflows, shutdown, jobs.
        "StartWorkflowAlpha1", "GetWorkflowAlpha1", "PurgeWorkflowAlpha1", "TerminateWorkflowAlpha1",
        "PauseWorkflowAlpha1", "ResumeWorkflowAlpha1", "RaiseEventWorkflowAlpha1", "StartWorkflowBeta1",
        "GetWorkflowBeta1", "PurgeWorkflowBeta1", "TerminateWorkflowBeta1", "PauseWorkflowBeta1",
        "ResumeWorkflowBeta1", "RaiseEventWorkflowBeta1", "Shutdown", "ScheduleJobAlpha1", "ScheduleJob",
        "GetJobAlpha1", "GetJob", "DeleteJobAlpha1", "DeleteJob", "DeleteJobsByPrefixAlpha1", "DeleteJobsByPrefix",
        "ListJobsAlpha1", "ListJobs",
        // Conversation, search, vectors, binary store.
        "ConverseAlpha1", "ConverseAlpha2", "CreateIndexAlpha1", "GetIndexAlpha1", "ListIndexesAlpha1",
        "DeleteIndexAlpha1", "IndexDocumentsAlpha1", "GetDocumentsAlpha1", "DeleteDocumentsAlpha1", "SearchAlpha1",
        "CreateCollectionAlpha1", "GetCollectionAlpha1", "ListCollectionsAlpha1", "DeleteCollectionAlpha1",
        "UpsertVectorsAlpha1", "DeleteVectorsAlpha1", "GetVectorsAlpha1", "QueryVectorsAlpha1",
        "BatchQueryVectorsAlpha1", "SetBinaryFileAlpha1", "GetBinaryFileAlpha1", "DeleteBinaryFileAlpha1",
    ]
}
