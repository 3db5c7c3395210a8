"""Python protobuf with the Dapr SDK's generated messages as the reference for DaprGRPCAPITests.

    python3 dapr_messages.py encode TYPE JSON  -> hex of TYPE parsed from proto3 JSON (deterministic)
    python3 dapr_messages.py decode TYPE HEX   -> proto3 JSON of the decoded message (Any details
                                                 unpacked), or "error: ..." and exit 1
    python3 dapr_messages.py methods           -> JSON list of dapr.proto.runtime.v1.Dapr's methods
"""

import json
import sys

from dapr.proto.runtime.v1 import binding_pb2, dapr_pb2, metadata_pb2
from google.protobuf import json_format
from google.rpc import error_details_pb2, status_pb2  # noqa: F401 (registers ErrorInfo for Any)

TYPES = {
    "InvokeBindingRequest": binding_pb2.InvokeBindingRequest,
    "InvokeBindingResponse": binding_pb2.InvokeBindingResponse,
    "GetMetadataResponse": metadata_pb2.GetMetadataResponse,
    "SetMetadataRequest": metadata_pb2.SetMetadataRequest,
    "Status": status_pb2.Status,
    "ErrorInfo": error_details_pb2.ErrorInfo,
}


def main():
    mode = sys.argv[1]
    if mode == "methods":
        service = dapr_pb2.DESCRIPTOR.services_by_name["Dapr"]
        print(json.dumps([method.name for method in service.methods]))
        return
    kind, argument = TYPES[sys.argv[2]], sys.argv[3]
    if mode == "encode":
        print(json_format.Parse(argument, kind()).SerializeToString(deterministic=True).hex())
    elif mode == "decode":
        message = kind()
        try:
            message.ParseFromString(bytes.fromhex(argument))
        except Exception as error:  # upb's DecodeError
            print(f"error: {error}")
            sys.exit(1)
        print(json.dumps(json_format.MessageToDict(message, preserving_proto_field_name=True), sort_keys=True))
    else:
        sys.exit(f"unknown mode {mode}")


main()
