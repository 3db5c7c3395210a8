// Fuzzes the YAML reader with the bytes of a component file: every document must read to a node
// tree or an error. A document that reads must turn into JSON text (as Dapr hands non-string
// metadata values to drivers) that bindery's own JSON reader accepts, or into the one error for
// numbers JSON cannot hold.
import FuzzSupport

@testable import BinderyCore

func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    for document in YAMLReader.documents(in: bytes, file: "fuzz.yaml") {
        guard case .success(let root?) = document.result else { continue }
        let json: String
        do throws(ManifestError) {
            json = try YAMLJSON.text(root)
        } catch {
            continue  // .inf / .nan: no JSON for them
        }
        do throws(JSONParser.Failure) {
            _ = try JSONParser.parse(Array(json.utf8))
        } catch {
            fatalError("the JSON text of a YAML document is not JSON (\(error)): \(json)")
        }
    }
    return 0
}

runFuzzer(fuzz)
