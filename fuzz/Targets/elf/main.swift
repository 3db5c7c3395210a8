// Fuzzes the check a driver file passes before `dlopen` sees it: the bytes are a `.so` file.
// Reading its header, segments, sections, symbols and needed libraries must end in a verdict
// (a driver, or a reason it is not one), never a trap or a read outside the file.
import FuzzSupport

@testable import DriverRuntime

func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    if let elf = try? ELFFile(bytes: bytes) {
        _ = elf.exports("bd_driver_entry")
        _ = elf.neededLibraries
    }
    _ = try? Loader.verify(bytes, file: "fuzz.so")
    return 0
}

runFuzzer(fuzz)
