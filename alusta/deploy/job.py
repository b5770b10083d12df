"""The deploy job: which built folder goes to which target, and running each plan.

Without a site selection every site goes to its own place, as laid out in output/: the
main site at the target's root, each pilot under pilots/<slug>/ of the same target, and a
pilot with its own domain to its own `deploy` target. A deploy of some sites never touches
the other sites' files in a shared target.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from alusta.deploy.folder import FolderBackend
from alusta.deploy.gitbranch import GitBackend
from alusta.deploy.plan import (
    Backend,
    DeployError,
    DeploySummary,
    Progress,
    Scope,
    local_tree,
)
from alusta.deploy.rsync import RsyncBackend
from alusta.deploy.s3 import S3Backend
from alusta.deploy.targets import Target, TargetKind, parse_target
from alusta.errors import ConfigError
from alusta.incremental.install import journal_of, recover
from alusta.settings import Settings
from alusta.sites import Site


@dataclass(frozen=True)
class Placement:
    """One built folder (or part of it) bound for one target."""

    sites: tuple[str, ...]
    source: Path
    target: Target
    scope: Scope

    @property
    def label(self) -> str:
        return f"{', '.join(self.sites)} → {self.target}"


def site_target(settings: Settings, site: Site) -> Target:
    """The target written in a site's config, or a ConfigError saying where to write one."""
    if not site.deploy:
        where = (
            "ALUSTA_SITE['deploy'] in pelicanconf.py"
            if site.is_main
            else (f'deploy = "..." in {site.folder}/pilot.toml')
        )
        raise ConfigError(f"site {site.name!r} has no deploy target: set {where} or use --to")
    return parse_target(
        site.deploy, base=settings.root, endpoint_url=_s3_endpoint(settings, site.deploy)
    )


def _s3_endpoint(settings: Settings, text: str) -> str:
    return settings.s3_endpoint_url if text.startswith("s3://") else ""


def _prefix(settings: Settings, site: Site) -> str:
    return settings.site_output(site).relative_to(settings.output_dir).as_posix() + "/"


def _shared_placement(settings: Settings, chosen: list[Site], target: Target) -> Placement:
    """Main site and in-tree pilots: one folder, output/, with each pilot under its prefix."""
    in_tree = [s for s in settings.sites if not s.is_main and not s.own_domain]
    if any(s.is_main for s in chosen):
        left_out = tuple(_prefix(settings, s) for s in in_tree if s not in chosen)
        scope = Scope(include=("",), protect=left_out)
    else:
        scope = Scope(include=tuple(_prefix(settings, s) for s in chosen))
    names = tuple(s.name for s in chosen)
    return Placement(names, settings.output_dir, target, scope)


def placements(
    settings: Settings, *, site_names: Iterable[str] | None = None, target: Target | None = None
) -> list[Placement]:
    """Where each chosen site goes; an error before anything is sent if one has nowhere."""
    names = list(site_names or [])
    chosen = [settings.site(name) for name in names] if names else list(settings.sites)
    shared = [s for s in chosen if not s.own_domain]
    result = []
    if shared:
        result.append(
            _shared_placement(settings, shared, target or site_target(settings, settings.main))
        )
    for site in (s for s in chosen if s.own_domain):
        own = target if (target and names) else site_target(settings, site)
        result.append(Placement((site.name,), settings.site_output(site), own, Scope()))
    targets = [p.target for p in result]
    if len(set(targets)) != len(targets):
        raise ConfigError(
            "two sites would be deployed to the root of the same target; "
            "deploy them one at a time with --site"
        )
    return result


def check_placement(settings: Settings, placement: Placement) -> None:
    """Refuse a missing build and a folder target that would swallow the project."""
    if not placement.source.is_dir():
        raise DeployError(f"{placement.source} does not exist: run `publish.py build` first")
    if placement.target.kind is TargetKind.FOLDER or (
        placement.target.kind is TargetKind.RSYNC and placement.target.location.startswith("/")
    ):
        folder = Path(placement.target.location)
        built = (placement.source, settings.output_dir)
        if any(folder == g or folder in g.parents for g in (settings.root, *built)) or any(
            g in folder.parents for g in built
        ):
            raise DeployError(
                f"{folder}: refusing to deploy into or around the project or "
                "its output (choose a folder outside both)"
            )


def open_backend(settings: Settings, placement: Placement) -> Backend:
    target = placement.target
    if target.kind is TargetKind.FOLDER:
        return FolderBackend(Path(target.location))
    if target.kind is TargetKind.RSYNC:
        remote = not target.location.startswith("/")
        return RsyncBackend(placement.source, target.location, remote=remote)
    if target.kind is TargetKind.S3:
        return S3Backend(target.location, target.prefix, endpoint_url=target.endpoint_url)
    return GitBackend(target.location, target.branch, project_root=settings.root)


def run_placement(
    settings: Settings,
    placement: Placement,
    *,
    only: frozenset[str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> DeploySummary:
    """Plan one placement against its target and apply the plan unless it is a dry run."""
    check_placement(settings, placement)
    local = local_tree(placement.source, placement.scope, only=only)
    backend = open_backend(settings, placement)
    with contextlib.closing(backend):
        plan = backend.plan(local, placement.scope, only=only)
        plan = replace(plan, partial=only is not None)
        if progress:
            progress.begin(placement.label, plan)
        if plan and not dry_run:
            backend.apply(plan, placement.scope, progress)
    return DeploySummary.of(plan, placement.label)


def deploy(
    settings: Settings,
    *,
    site_names: Iterable[str] | None = None,
    target: Target | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> DeploySummary:
    """Deploy the built sites: assets, then pages, then deletions, on every target.

    An install a stopped build left half done is rolled back first: the last output goes."""
    recover(journal_of(settings.var_dir))
    if isinstance(target, str):
        target = parse_target(target, base=settings.root)
    chosen = placements(settings, site_names=site_names, target=target)
    summary = DeploySummary()
    for placement in chosen:
        summary += run_placement(settings, placement, dry_run=dry_run, progress=progress)
    return summary


def deploy_paths(
    settings: Settings,
    site: Site,
    paths: Iterable[str | Path],
    target: Target | str | None = None,
) -> DeploySummary:
    """Deploy just these files of one site (pages the endpoint re-rendered after a mention).

    `paths` are relative to the site's output folder or absolute inside it; a path that no
    longer exists there is deleted from the target.
    """
    if isinstance(target, str):
        target = parse_target(target, base=settings.root)
    [placement] = placements(settings, site_names=[site.name], target=target)
    folder = settings.site_output(site)
    keys = set()
    for path in paths:
        absolute = (folder / path).resolve()
        if folder.resolve() not in absolute.parents:
            raise DeployError(f"{path}: not inside the output of site {site.name!r}")
        keys.add((absolute.relative_to(placement.source.resolve())).as_posix())
    return run_placement(settings, placement, only=frozenset(keys))


def deploy_written(
    settings: Settings, written: Mapping[str, Iterable[str]], target: Target | None = None
) -> DeploySummary:
    """Deploy the files a refresh rewrote ({site: paths in its output}), site by site."""
    summary = DeploySummary()
    for name, paths in sorted(written.items()):
        summary += deploy_paths(settings, settings.site(name), sorted(paths), target)
    return summary
