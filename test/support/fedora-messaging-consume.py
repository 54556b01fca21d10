"""Consume Cascade's events with fedora-messaging's own library, as a Fedora consumer would.

usage: fedora-messaging-consume.py AMQP_URL QUEUE STOP_TOPIC

Declares (or finds) the durable QUEUE bound to amq.topic with '#', consumes through
fedora_messaging.api.consume until a message whose topic is STOP_TOPIC arrives, and prints every
message it got, in arrival order, as JSON: id, topic, severity, headers, body.
"""
import json
import os
import sys
import tempfile

url, queue, stop_topic = sys.argv[1:4]

conf = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
conf.write(
    f"""
amqp_url = "{url}"
publish_exchange = "amq.topic"
[client_properties]
app = "cascade events test"
[queues."{queue}"]
durable = true
auto_delete = false
exclusive = false
arguments = {{}}
[[bindings]]
queue = "{queue}"
exchange = "amq.topic"
routing_keys = ["#"]
"""
)
conf.close()
os.environ["FEDORA_MESSAGING_CONF"] = conf.name

from fedora_messaging import api, config, exceptions  # noqa: E402

config.conf.load_config()
received = []


def callback(message):
    if message.topic == stop_topic:
        raise exceptions.HaltConsumer(exit_code=0)
    received.append(
        {
            "id": message.id,
            "topic": message.topic,
            "severity": message.severity,
            "headers": {k: v for k, v in message._headers.items()},
            "body": message.body,
        }
    )


try:
    api.consume(callback)
except exceptions.HaltConsumer:
    pass
finally:
    os.unlink(conf.name)
print(json.dumps(received))
