"""Publishing built sites to static hosting: a folder, rsync, an S3 bucket or a git branch."""

from alusta.deploy.job import deploy, deploy_paths, deploy_written, placements
from alusta.deploy.plan import DeployError, DeploySummary
from alusta.deploy.targets import Target, TargetKind, parse_target

__all__ = [
    "DeployError",
    "DeploySummary",
    "Target",
    "TargetKind",
    "deploy",
    "deploy_paths",
    "deploy_written",
    "parse_target",
    "placements",
]
