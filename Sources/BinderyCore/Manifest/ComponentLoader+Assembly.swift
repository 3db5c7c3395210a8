import BinderySystem

/// The pure half of loading: drafts in, resolved components and problems out.
extension ComponentLoader {
    /// Applies namespace filtering, duplicate detection, scopes, secret stores and metadata
    /// resolution, in Dapr's order. `readFile` reads a local file secret store's `secretsFile`.
    static func assemble(
        _ drafts: [ComponentDraft], appID: String, environment: [String: String], problems: [ManifestProblem] = [],
        readFile: (String) throws(ManifestError) -> [UInt8]
    ) -> ManifestSet {
        var problems = problems
        let namespace = environment["NAMESPACE"] ?? ""
        var unique: [ComponentDraft] = []
        var first: [String: ComponentDraft] = [:]
        for draft in drafts {
            // Dapr honours metadata.namespace only when NAMESPACE is set; others are ignored.
            if !namespace.isEmpty, !draft.component.namespace.isEmpty, draft.component.namespace != namespace {
                continue
            }
            if let earlier = first[draft.name] {
                problems.append(
                    .error(
                        draft.error(
                            .duplicateName,
                            "duplicate definition of component \(JSONText.quoted(draft.name)): first defined at \(earlier.place), again at \(draft.place)"
                        )))
                continue
            }
            first[draft.name] = draft
            unique.append(draft)
        }
        let allowed = unique.filter { draft in
            let scopes = draft.component.scopes
            guard scopes.isEmpty || scopes.contains(appID) else {
                let list = scopes.map { JSONText.quoted($0) }.joined(separator: ", ")
                problems.append(
                    .warning(
                        draft.error(
                            .outOfScope,
                            "component \(JSONText.quoted(draft.name)) is scoped to [\(list)], not to app \(JSONText.quoted(appID)): skipped"
                        )))
                return false
            }
            return true
        }
        let resolver = MetadataResolver(appID: appID, environment: environment)
        var stores: [Component] = []
        for draft in allowed where draft.isSecretStore {
            do throws(ManifestError) {
                stores.append(try resolver.resolve(draft, secrets: nil, warnings: &problems))
            } catch {
                problems.append(.error(error))
            }
        }
        let secrets = SecretStores(stores, environment: environment, readFile: readFile)
        var components: [Component] = []
        for draft in allowed where !draft.isSecretStore {
            do throws(ManifestError) {
                components.append(try resolver.resolve(draft, secrets: secrets, warnings: &problems))
            } catch {
                problems.append(.error(error))
            }
        }
        return ManifestSet(components: components, problems: problems)
    }
}
