"""The Python app of Dapr's bindings overview, unchanged: a Flask handler at POST /kafkaevent
for the kafkaevent component. Only the __main__ block is added, to listen on bindery's APP_PORT."""
import os

from flask import Flask
app = Flask(__name__)

@app.route("/kafkaevent", methods=['POST'])
def incoming():
    print("Hello from Kafka!", flush=True)

    return "Kafka Event Processed!"


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["APP_PORT"]), threaded=True)
