"""The smallest reasonable ComfyUI client, as ComfyUI's own websocket example writes one: open
the socket, POST /prompt, read until `executing` with node null for the prompt, GET /history,
GET /view for each image. The comparison baseline for darkroom's client overhead.

    python comfyui_minimal_client.py <server-url> <jobs>
Prints one JSON line: median wall time per job and the median run time the server reported.
"""
import json
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
import uuid

import websocket  # websocket-client


def run(base, graph, client_id, ws):
    body = json.dumps({"prompt": graph, "client_id": client_id}).encode()
    request = urllib.request.Request(base + "/prompt", data=body, headers={"Content-Type": "application/json"})
    prompt_id = json.loads(urllib.request.urlopen(request).read())["prompt_id"]
    while True:
        message = ws.recv()
        if isinstance(message, str):
            data = json.loads(message)
            if data["type"] == "executing" and data["data"]["node"] is None and data["data"].get("prompt_id") == prompt_id:
                break
    history = json.loads(urllib.request.urlopen(base + "/history/" + prompt_id).read())[prompt_id]
    images = []
    for output in history["outputs"].values():
        for image in output.get("images", []):
            query = urllib.parse.urlencode({"filename": image["filename"], "subfolder": image["subfolder"], "type": image["type"]})
            images.append(urllib.request.urlopen(base + "/view?" + query).read())
    messages = dict((m[0], m[1]) for m in history["status"]["messages"])
    server = (messages["execution_success"]["timestamp"] - messages["execution_start"]["timestamp"]) / 1000
    return images, server


def main():
    base, jobs = sys.argv[1].rstrip("/"), int(sys.argv[2])
    client_id = str(uuid.uuid4())
    ws = websocket.WebSocket()
    ws.connect(base.replace("http", "ws", 1) + "/ws?clientId=" + client_id)
    salt = random.randint(0, 0xFFFF) << 8
    walls, servers = [], []
    for index in range(jobs + 3):
        graph = {
            "1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 48, "batch_size": 1, "color": (salt + index + 0x800000) & 0xFFFFFF}},
            "2": {"class_type": "SaveImage", "inputs": {"images": ["1", 0], "filename_prefix": "darkroom-bench/py"}},
        }
        start = time.perf_counter()
        _, server = run(base, graph, client_id, ws)
        if index >= 3:
            walls.append(time.perf_counter() - start)
            servers.append(server)
    print(json.dumps({"jobs": jobs, "wall_ms": statistics.median(walls) * 1000, "server_ms": statistics.median(servers) * 1000}))


if __name__ == "__main__":
    main()
