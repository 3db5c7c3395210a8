/// A `map<string, string>` as it is decoded: entries in arrival order, a later entry with the
/// same key replacing the earlier value in place (protobuf's rule: the last one wins).
package struct ProtoStringMap: Sendable {
    package private(set) var pairs: [(key: String, value: String)] = []
    private var positions: [String: Int] = [:]

    package init() {}

    package init(_ pairs: some Sequence<(key: String, value: String)>) {
        for pair in pairs { insert(pair) }
    }

    package mutating func insert(_ entry: (key: String, value: String)) {
        if let position = positions[entry.key] {
            pairs[position].value = entry.value
        } else {
            positions[entry.key] = pairs.count
            pairs.append(entry)
        }
    }

    package subscript(_ key: String) -> String? { positions[key].map { pairs[$0].value } }

    package var count: Int { pairs.count }
}
