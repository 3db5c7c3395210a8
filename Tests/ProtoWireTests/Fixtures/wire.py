"""Python protobuf (upb) as the reference for ProtoWireTests.

A test message, bindery.test.Scalars, is built at run time from a descriptor so that every wire
type and scalar kind is covered without generated code:

    python3 wire.py encode JSON   -> hex of the message parsed from proto3 JSON (deterministic)
    python3 wire.py decode HEX    -> proto3 JSON of the message, or "error: ..." and exit 1
"""

import json
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

F = descriptor_pb2.FieldDescriptorProto
FIELDS = [
    ("i32", 1, F.TYPE_INT32), ("i64", 2, F.TYPE_INT64), ("u32", 3, F.TYPE_UINT32),
    ("u64", 4, F.TYPE_UINT64), ("s32", 5, F.TYPE_SINT32), ("s64", 6, F.TYPE_SINT64),
    ("flag", 7, F.TYPE_BOOL), ("f32", 8, F.TYPE_FIXED32), ("f64", 9, F.TYPE_FIXED64),
    ("sf32", 10, F.TYPE_SFIXED32), ("sf64", 11, F.TYPE_SFIXED64), ("real32", 12, F.TYPE_FLOAT),
    ("real64", 13, F.TYPE_DOUBLE), ("text", 14, F.TYPE_STRING), ("blob", 15, F.TYPE_BYTES),
]


def scalars_class():
    file = descriptor_pb2.FileDescriptorProto(name="bindery_test.proto", package="bindery.test", syntax="proto3")
    message = file.message_type.add(name="Scalars")
    for name, number, kind in FIELDS:
        message.field.add(name=name, number=number, type=kind, label=F.LABEL_OPTIONAL)
    entry = message.nested_type.add(name="LabelsEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    entry.field.add(name="value", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    message.field.add(name="labels", number=16, type=F.TYPE_MESSAGE, label=F.LABEL_REPEATED,
                      type_name=".bindery.test.Scalars.LabelsEntry")
    message.field.add(name="names", number=17, type=F.TYPE_STRING, label=F.LABEL_REPEATED)
    message.field.add(name="child", number=18, type=F.TYPE_MESSAGE, label=F.LABEL_OPTIONAL,
                      type_name=".bindery.test.Scalars")
    message.field.add(name="counts", number=19, type=F.TYPE_INT32, label=F.LABEL_REPEATED)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("bindery.test.Scalars"))


def main():
    mode, argument = sys.argv[1], sys.argv[2]
    Scalars = scalars_class()
    if mode == "encode":
        message = json_format.Parse(argument, Scalars())
        print(message.SerializeToString(deterministic=True).hex())
    elif mode == "decode":
        message = Scalars()
        try:
            message.ParseFromString(bytes.fromhex(argument))
        except Exception as error:  # upb's DecodeError
            print(f"error: {error}")
            sys.exit(1)
        print(json.dumps(json_format.MessageToDict(message, preserving_proto_field_name=True), sort_keys=True))
    else:
        sys.exit(f"unknown mode {mode}")


main()
