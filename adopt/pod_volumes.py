"""A notebook pod's volumes and mounts: the home claim, /dev/shm, and every other claim."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from config.presets import HOME

from .findings import Findings, unknown_keys

SHM = "/dev/shm"


@dataclass(frozen=True)
class Mount:
    """A claim mounted into the notebook."""

    claim: str
    path: str
    read_only: bool
    volume_name: str


@dataclass
class PodVolumes:
    home: Mount | None = None
    claims: list[Mount] = field(default_factory=list)
    """Every claim but the home one."""
    shm: bool = False


def pod_volumes(
    volumes: list[dict[str, Any]], mounts: list[dict[str, Any]], findings: Findings
) -> PodVolumes:
    at = "spec.template.spec"
    found = PodVolumes()
    by_name: dict[str, dict[str, Any]] = {}
    for index, volume in enumerate(volumes):
        name = volume.get("name")
        sources = unknown_keys(volume, ("name",))
        where = f"{at}.volumes[{index}]"
        if (
            sources == ["persistentVolumeClaim"]
            and not unknown_keys(volume["persistentVolumeClaim"], ("claimName", "readOnly"))
            or sources == ["emptyDir"]
            and volume["emptyDir"] == {"medium": "Memory"}
        ):
            by_name[name] = volume
        else:
            findings.refuse(
                where,
                f"volume '{name}' ({', '.join(sources) or 'no source'}) is not modelled; "
                "teamspace mounts PVCs and an in-memory /dev/shm",
            )
    used: set[str] = set()
    for index, mount in enumerate(mounts):
        where = f"{at}.containers[0].volumeMounts[{index}]"
        for key in unknown_keys(mount, ("name", "mountPath", "readOnly")):
            findings.refuse(f"{where}.{key}", "not modelled")
        name, path = mount.get("name"), str(mount.get("mountPath", "")).rstrip("/") or "/"
        volume = by_name.get(name)
        if volume is None:
            if name not in {v.get("name") for v in volumes}:
                findings.refuse(where, f"mounts '{name}', which is not a volume of the pod")
            continue
        if name in used:
            findings.refuse(where, f"volume '{name}' is mounted twice")
        used.add(name)
        if "emptyDir" in volume:
            if path != SHM:
                findings.refuse(where, f"an in-memory emptyDir is modelled only at {SHM}, not {path}")
            found.shm = True
            if name != "dshm":
                findings.change(f"volume {name} (/dev/shm) renamed dshm")
            continue
        claim = volume["persistentVolumeClaim"]["claimName"]
        source_read_only = bool(volume["persistentVolumeClaim"].get("readOnly"))
        entry = Mount(claim, path, bool(mount.get("readOnly")) or source_read_only, name)
        if source_read_only and not mount.get("readOnly"):
            # The web app's existing-source volumes carry readOnly on the source; teamspace sets
            # it on the mount. Either way the container sees a read-only file system.
            findings.change(f"volume {name}: read-only moves from the volume source to the mount")
        if name != claim:
            findings.change(f"volume {name} renamed {claim} (teamspace names pod volumes after their claims)")
        if path == HOME:
            if entry.read_only:
                findings.refuse(where, "a read-only home volume is not modelled")
            found.home = entry
        elif path == SHM:
            findings.refuse(where, f"a claim at {SHM} is not modelled")
        else:
            found.claims.append(entry)
    order = [v.get("name") for v in volumes]
    wanted = [found.home.volume_name if found.home else None] + (["dshm"] if found.shm else [])
    if found.home and order[: len(wanted)] != wanted:
        findings.change(
            "pod volumes reordered as teamspace renders them (home, /dev/shm, then the other claims)"
        )
    for name in sorted(set(by_name) - used):
        findings.refuse(f"{at}.volumes", f"volume '{name}' is not mounted")
    if found.home is None:
        findings.refuse(
            f"{at}.containers[0].volumeMounts", f"no PVC mounted at {HOME} (a notebook needs its home volume)"
        )
    claims = [m.claim for m in found.claims] + ([found.home.claim] if found.home else [])
    for claim in sorted({c for c in claims if claims.count(c) > 1}):
        findings.refuse(f"{at}.volumes", f"claim '{claim}' is mounted twice")
    return found
