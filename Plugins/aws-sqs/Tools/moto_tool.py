"""Sets up and inspects SQS queues and SNS topics in a moto server for the aws-sqs and aws-sns
tests, with boto3 (the AWS SDK most users' other tools are written with).

usage: moto_tool.py ENDPOINT COMMAND ARGS...
  create-queue NAME [VISIBILITY_TIMEOUT]   prints the queue URL
  delete-queue NAME
  count NAME                 prints visible + in-flight (not visible) messages
  send NAME BODY...          sends each BODY
  drain NAME                 receives and deletes everything visible, prints the bodies as JSON
  create-topic NAME          prints the topic ARN
  subscribe TOPIC_ARN QUEUE_NAME raw|envelope   subscribes the queue to the topic
The access key and secret come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (default "test").
"""
import json
import os
import sys

import boto3

endpoint, command, args = sys.argv[1], sys.argv[2], sys.argv[3:]
session = boto3.session.Session(
    aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "test"),
    aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "test"),
    region_name="us-east-1")
sqs = session.client("sqs", endpoint_url=endpoint)
sns = session.client("sns", endpoint_url=endpoint)


def url(name):
    return sqs.get_queue_url(QueueName=name)["QueueUrl"]


if command == "create-queue":
    attributes = {"VisibilityTimeout": args[1]} if len(args) > 1 else {}
    print(sqs.create_queue(QueueName=args[0], Attributes=attributes)["QueueUrl"])
elif command == "delete-queue":
    sqs.delete_queue(QueueUrl=url(args[0]))
elif command == "count":
    attributes = sqs.get_queue_attributes(
        QueueUrl=url(args[0]),
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    print(int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"]))
elif command == "send":
    queue = url(args[0])
    for body in args[1:]:
        sqs.send_message(QueueUrl=queue, MessageBody=body)
elif command == "drain":
    queue, bodies = url(args[0]), []
    while True:
        messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        if not messages:
            break
        for message in messages:
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    print(json.dumps(bodies))
elif command == "create-topic":
    print(sns.create_topic(Name=args[0])["TopicArn"])
elif command == "subscribe":
    queue_arn = sqs.get_queue_attributes(QueueUrl=url(args[1]), AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=args[0], Protocol="sqs", Endpoint=queue_arn,
                  Attributes={"RawMessageDelivery": "true" if args[2] == "raw" else "false"})
else:
    sys.exit("unknown command " + command)
