"""A local stand-in for S3, so a distributed Map's ItemReader and ResultWriter run without AWS.

Buckets are folders under a root directory (or dicts in memory). Handles the resources a
distributed Map uses: `s3:getObject` and `s3:listObjectsV2` as ItemReaders (with AWS's
ReaderConfig: JSON, JSONL, CSV, MANIFEST; MaxItems; CSV headers) and `s3:putObject` for
ResultWriter and plain tasks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from engine.errors import ErrorName
from engine.integrations.base import TaskOutcome
from engine.integrations.resources import parse_resource
from engine.json import JSON, dumps
from engine.runtime.effects import InvokeTask


class ObjectStore:
    """Objects by (bucket, key): in memory, or files under `root/<bucket>/<key>`."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root).resolve() if root is not None else None
        self.memory: dict[tuple[str, str], bytes] = {}

    def put(self, bucket: str, key: str, body: bytes) -> None:
        path = self._path(bucket, key)
        if path is None:
            self.memory[(bucket, key)] = body
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)

    def get(self, bucket: str, key: str) -> bytes | None:
        path = self._path(bucket, key)
        if path is None:
            return self.memory.get((bucket, key))
        return path.read_bytes() if path.is_file() else None

    def list(self, bucket: str, prefix: str = "") -> list[tuple[str, bytes]]:
        if self.root is None:
            return sorted((k, v) for (b, k), v in self.memory.items() if b == bucket and k.startswith(prefix))
        base = self.root / _safe(bucket)
        if not base.is_dir():
            return []
        found = [(p.relative_to(base).as_posix(), p) for p in base.rglob("*") if p.is_file()]
        return sorted((key, path.read_bytes()) for key, path in found if key.startswith(prefix))

    def _path(self, bucket: str, key: str) -> Path | None:
        if self.root is None:
            return None
        path = (self.root / _safe(bucket) / key).resolve()
        if not path.is_relative_to(self.root / _safe(bucket)):
            raise ValueError(f"The key {key!r} leaves its bucket.")
        return path


def _safe(bucket: str) -> str:
    if not bucket or "/" in bucket or bucket in (".", ".."):
        raise ValueError(f"{bucket!r} is not a bucket name.")
    return bucket


class StorageIntegration:
    """`arn:aws:states:::s3:getObject | listObjectsV2 | putObject` against an ObjectStore."""

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    def handles(self, resource: str) -> bool:
        parsed = parse_resource(resource)
        return any(parsed.is_service("s3", action) for action in ("getObject", "listObjectsV2", "putObject"))

    def invoke(self, call: InvokeTask) -> TaskOutcome:
        params = call.parameters if isinstance(call.parameters, dict) else {}
        action = parse_resource(call.resource).action
        try:
            if "ResultWriter" in params:
                return TaskOutcome.succeeded(self._write_results(params))
            if action == "getObject":
                return self._get(params)
            if action == "listObjectsV2":
                return TaskOutcome.succeeded(self._listing(params))
            return self._put(params)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, csv.Error) as error:
            reader = (
                "ItemReader"
                if "ReaderConfig" in params
                else "ResultWriter"
                if "ResultWriter" in params
                else ""
            )
            name = ErrorName.ITEM_READER_FAILED if reader == "ItemReader" else ErrorName.RESULT_WRITER_FAILED
            if not reader:
                name = ErrorName.TASK_FAILED
            return TaskOutcome.failed(name, f"{type(error).__name__}: {error}")

    def _get(self, params: dict[str, Any]) -> TaskOutcome:
        bucket, key = params["Bucket"], params["Key"]
        body = self.store.get(bucket, key)
        if body is None:
            error = ErrorName.ITEM_READER_FAILED if "ReaderConfig" in params else "S3.NoSuchKeyException"
            return TaskOutcome.failed(error, f"The object s3://{bucket}/{key} does not exist.")
        if "ReaderConfig" not in params:
            return TaskOutcome.succeeded(body.decode("utf-8"))
        config = params["ReaderConfig"] or {}
        items = read_items(body.decode("utf-8"), config, self.store, bucket)
        most = config.get("MaxItems")
        return TaskOutcome.succeeded(items[:most] if isinstance(most, int) and most > 0 else items)

    def _listing(self, params: dict[str, Any]) -> list[JSON]:
        bucket = params["Bucket"]
        return [
            {
                "Etag": f'"{hashlib.md5(body).hexdigest()}"',
                "Key": key,
                "Size": len(body),
                "StorageClass": "STANDARD",
            }
            for key, body in self.store.list(bucket, params.get("Prefix", ""))
        ]

    def _put(self, params: dict[str, Any]) -> TaskOutcome:
        body = params.get("Body", "")
        text = body if isinstance(body, str) else dumps(body)
        self.store.put(params["Bucket"], params["Key"], text.encode("utf-8"))
        return TaskOutcome.succeeded({"ETag": f'"{hashlib.md5(text.encode()).hexdigest()}"'})

    def _write_results(self, params: dict[str, Any]) -> JSON:
        """ResultWriter: manifest.json plus SUCCEEDED_0.json / FAILED_0.json, as AWS lays them out."""
        writer = params["ResultWriter"]
        bucket, prefix = writer["Bucket"], writer.get("Prefix", "").rstrip("/")
        run_id = str(params["MapRunArn"]).rsplit(":", 1)[-1].replace("/", "-")
        base = f"{prefix}/{run_id}" if prefix else run_id
        results = params["Results"]
        succeeded = [r for r in results if r.get("Status") == "SUCCEEDED"]
        failed = [r for r in results if r.get("Status") != "SUCCEEDED"]
        files: list[dict[str, Any]] = []
        for kind, rows in (("SUCCEEDED", succeeded), ("FAILED", failed)):
            if rows:
                key = f"{base}/{kind}_0.json"
                self.store.put(bucket, key, json.dumps(rows).encode())
                files.append({"Key": key, "Size": len(json.dumps(rows))})
        manifest = {
            "DestinationBucket": bucket,
            "MapRunArn": params["MapRunArn"],
            "ResultFiles": {"FAILED": [f for f in files if "FAILED_" in f["Key"]],
                            "SUCCEEDED": [f for f in files if "SUCCEEDED_" in f["Key"]]},
        }  # fmt: skip
        self.store.put(bucket, f"{base}/manifest.json", json.dumps(manifest).encode())
        return {"Bucket": bucket, "Key": f"{base}/manifest.json"}


def read_items(text: str, config: dict[str, Any], store: ObjectStore, bucket: str) -> list[JSON]:
    """The items of an object, read as its ReaderConfig.InputType says."""
    kind = config.get("InputType", "JSON")
    if kind == "JSON":
        items = json.loads(text)
        if not isinstance(items, list):
            raise ValueError("The JSON object to read must hold an array.")
        return items
    if kind == "JSONL":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    if kind == "MANIFEST":
        return [{"Bucket": row[0], "Key": row[1]} for row in csv.reader(io.StringIO(text)) if row]
    if kind == "CSV":
        delimiter = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}.get(
            config.get("CSVDelimiter", "COMMA"), ","
        )
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
            headers = config["CSVHeaders"]
        else:
            headers, rows = (rows[0] if rows else []), rows[1:]
        return [dict(zip(headers, row)) for row in rows if row]
    raise ValueError(f"InputType {kind!r} is not one of JSON, JSONL, CSV, MANIFEST.")
