// Fuzzes the component loader with the bytes of one component file, as `bindery validate` and a
// reload read it: decode every document into a component draft, then assemble (names, scopes,
// secret stores, metadata resolution). A local file secret store's `secretsFile` reads the same
// bytes, so its flattening is fuzzed too. Every outcome is components and problems, never a trap.
import FuzzSupport

@testable import BinderyCore

func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    var problems: [ManifestProblem] = []
    let drafts = ComponentLoader.decode(bytes, file: "/resources/fuzz.yaml", problems: &problems)
    let set = ComponentLoader.assemble(
        drafts, appID: "app", environment: ["SECRET_TOKEN": "s3cret", "APP_PORT": "3000"], problems: problems,
        readFile: { _ in bytes })
    for problem in set.problems { _ = problem.description }
    return 0
}

runFuzzer(fuzz)
