"""boto3 against a moto server, for the AWS run tests: sets up tables and streams and reads
back what bindery wrote, independently of bindery's own AWS client. Prints JSON.
usage: dynamodb_kinesis_boto.py ENDPOINT COMMAND ARGS...
  create-table NAME KEY            a table with string hash key KEY
  get-item TABLE KEY VALUE         the item, as typed JSON text with sorted keys (or null)
  create-stream NAME SHARDS        a stream, once it is ACTIVE
  read-stream NAME                 every record of every shard: data, partition key, shard
"""
import json
import sys

import boto3

endpoint, command, *args = sys.argv[1:]
options = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
               aws_secret_access_key="testing")
if command == "create-table":
    boto3.client("dynamodb", **options).create_table(
        TableName=args[0], KeySchema=[{"AttributeName": args[1], "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": args[1], "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    print("{}")
elif command == "get-item":
    reply = boto3.client("dynamodb", **options).get_item(
        TableName=args[0], Key={args[1]: {"S": args[2]}}, ConsistentRead=True)
    item = reply.get("Item")
    print(json.dumps(json.dumps(item, sort_keys=True, separators=(",", ":")) if item is not None else None))
elif command == "create-stream":
    kinesis = boto3.client("kinesis", **options)
    kinesis.create_stream(StreamName=args[0], ShardCount=int(args[1]))
    kinesis.get_waiter("stream_exists").wait(StreamName=args[0], WaiterConfig={"Delay": 0.2})
    print("{}")
elif command == "read-stream":
    kinesis = boto3.client("kinesis", **options)
    records = []
    for shard in kinesis.list_shards(StreamName=args[0])["Shards"]:
        iterator = kinesis.get_shard_iterator(StreamName=args[0], ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            reply = kinesis.get_records(ShardIterator=iterator, Limit=1000)
            for record in reply["Records"]:
                records.append({"data": record["Data"].decode(errors="replace"), "key": record["PartitionKey"],
                                "shard": shard["ShardId"]})
            iterator = reply.get("NextShardIterator") if reply["Records"] else None
    print(json.dumps(records))
else:
    sys.exit("unknown command " + command)
