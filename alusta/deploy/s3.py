"""Deploy to an S3-compatible bucket with boto3 (an optional dependency: `alusta[s3]`).

Credentials and the region come from the environment as boto3 reads them (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION, AWS_PROFILE). Objects are uploaded whole with
put_object, so an object's ETag is the MD5 of its body and tells whether it changed; each
object is replaced atomically, so a deploy cut short leaves every file old or new.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from alusta.deploy.headers import cache_control, content_type
from alusta.deploy.plan import (
    DeployError,
    LocalFile,
    Plan,
    Progress,
    Scope,
    file_digest,
    make_plan,
)

DELETE_BATCH = 1000  # the most keys one DeleteObjects request takes


@dataclass(frozen=True)
class RemoteObject:
    etag: str
    size: int


def same_object(local: LocalFile, remote: RemoteObject) -> bool:
    return local.size == remote.size and remote.etag == file_digest(local.path, "md5")


def _client(endpoint_url: str) -> Any:
    try:
        import boto3  # noqa: PLC0415 - optional dependency, only needed for s3:// targets
    except ImportError as error:
        raise DeployError("s3:// targets need boto3: pip install 'alusta[s3]'") from error
    return boto3.client("s3", endpoint_url=endpoint_url or None)


def _failure(error: Exception, bucket: str) -> DeployError:
    return DeployError(f"s3://{bucket}: {error}")


class S3Backend:
    """A bucket and an optional key prefix."""

    def __init__(self, bucket: str, prefix: str = "", *, endpoint_url: str = "") -> None:
        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.client = _client(endpoint_url)

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _listed(self) -> Iterator[tuple[str, RemoteObject]]:
        start = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start
        )
        for page in pages:
            for item in page.get("Contents", []):
                etag = item["ETag"].strip('"')
                yield item["Key"][len(start) :], RemoteObject(etag, item["Size"])

    def _heads(self, keys: frozenset[str]) -> Iterator[tuple[str, RemoteObject]]:
        from botocore.exceptions import ClientError  # noqa: PLC0415 - optional dependency

        for key in sorted(keys):
            try:
                head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                    continue
                raise
            yield key, RemoteObject(head["ETag"].strip('"'), head["ContentLength"])

    def plan(
        self, local: Mapping[str, LocalFile], scope: Scope, *, only: frozenset[str] | None = None
    ) -> Plan:
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

        try:
            listed = self._listed() if only is None else self._heads(only)
            remote = {key: obj for key, obj in listed if scope.owns(key)}
        except (BotoCoreError, ClientError) as error:
            raise _failure(error, self.bucket) from error
        return make_plan(local, remote, same_object)

    def _put(self, key: str, body: bytes) -> None:
        digest = base64.b64encode(hashlib.md5(body).digest()).decode()  # noqa: S324 - S3's own
        self.client.put_object(
            Bucket=self.bucket,
            Key=self._key(key),
            Body=body,
            ContentMD5=digest,
            ContentType=content_type(key),
            CacheControl=cache_control(key),
        )

    def _delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), DELETE_BATCH):
            batch = [{"Key": self._key(k)} for k in keys[start : start + DELETE_BATCH]]
            answer = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
            )
            if answer.get("Errors"):
                first = answer["Errors"][0]
                raise DeployError(
                    f"s3://{self.bucket}: could not delete {first['Key']}: "
                    f"{first.get('Message', first.get('Code'))}"
                )

    def apply(self, plan: Plan, scope: Scope, progress: Progress | None) -> None:
        del scope  # the plan is already scoped
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415

        try:
            for step in plan.uploads:
                assert step.path is not None
                self._put(step.key, step.path.read_bytes())
                if progress:
                    progress.advance(step)
            self._delete([step.key for step in plan.deletions])
        except (BotoCoreError, ClientError) as error:
            raise _failure(error, self.bucket) from error
        if progress:
            for step in plan.deletions:
                progress.advance(step)

    def close(self) -> None:
        """Nothing to clean up; present so every backend closes the same way."""
