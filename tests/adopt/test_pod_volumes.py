"""A notebook pod's volumes and mounts as teamspace reads them (adopt/pod_volumes.py): the home
claim, /dev/shm and the other claims, the in-place changes (renames, read-only moved, order)
and each refusal with the path of the field at fault."""

from __future__ import annotations

from typing import Any

import pytest

from adopt.findings import Findings
from adopt.pod_volumes import Mount, PodVolumes, pod_volumes

AT = "spec.template.spec"
MOUNTS = f"{AT}.containers[0].volumeMounts"
HOME = "/home/jovyan"
NOT_MODELLED = "is not modelled; teamspace mounts PVCs and an in-memory /dev/shm"
NO_HOME = f"{MOUNTS}: no PVC mounted at {HOME} (a notebook needs its home volume)"
REORDERED = "pod volumes reordered as teamspace renders them (home, /dev/shm, then the other claims)"


def pvc(name: str, claim: str | None = None, **source: Any) -> dict[str, Any]:
    return {"name": name, "persistentVolumeClaim": {"claimName": claim or name, **source}}


def shm(name: str = "dshm", **source: Any) -> dict[str, Any]:
    return {"name": name, "emptyDir": source or {"medium": "Memory"}}


def mount(name: str, path: str = HOME, **fields: Any) -> dict[str, Any]:
    return {"name": name, "mountPath": path, **fields}


def _read(volumes, mounts) -> tuple[PodVolumes, list[str], list[str]]:
    findings = Findings()
    found = pod_volumes(volumes, mounts, findings)
    assert not findings.notes
    return found, findings.refused, findings.changes


def test_teamspace_s_own_pod_is_read_without_a_change():
    found = _read(
        [pvc("home"), shm(), pvc("data"), pvc("ro")],
        [
            mount("home", HOME + "/"),
            mount("dshm", "/dev/shm"),
            mount("data", "/data/"),
            mount("ro", "/mnt/TeX", readOnly=True),
        ],
    )
    assert found == (
        PodVolumes(
            home=Mount("home", HOME, False, "home"),
            claims=[Mount("data", "/data", False, "data"), Mount("ro", "/mnt/TeX", True, "ro")],
            shm=True,
        ),
        [],
        [],
    )


def test_a_hand_made_pod_is_renamed_reordered_and_read_only_moves_to_the_mount():
    found = _read(
        [
            shm("cache"),
            pvc("vol-a", "home-claim"),
            pvc("data-v", "data", readOnly=True),
            pvc("spare", "s"),
            pvc("ro", readOnly=True),
        ],
        [
            mount("vol-a"),
            mount("cache", "/dev/shm"),
            mount("data-v", "/data"),
            mount("spare", ""),
            mount("ro", "/ro", readOnly=True),
        ],
    )
    assert found == (
        PodVolumes(
            home=Mount("home-claim", HOME, False, "vol-a"),
            claims=[
                Mount("data", "/data", True, "data-v"),
                Mount("s", "/", False, "spare"),
                Mount("ro", "/ro", True, "ro"),
            ],
            shm=True,
        ),
        [],
        [
            "volume vol-a renamed home-claim (teamspace names pod volumes after their claims)",
            "volume cache (/dev/shm) renamed dshm",
            "volume data-v: read-only moves from the volume source to the mount",
            "volume data-v renamed data (teamspace names pod volumes after their claims)",
            "volume spare renamed s (teamspace names pod volumes after their claims)",
            REORDERED,
        ],
    )


@pytest.mark.parametrize(
    ("volumes", "reordered"),
    [
        ([pvc("home"), pvc("data")], False),
        ([pvc("data"), pvc("home")], True),
        ([pvc("home"), pvc("data"), shm()], True),
        ([pvc("home"), shm(), pvc("data")], False),
    ],
    ids=["home first", "home second", "shm last", "home then shm"],
)
def test_volumes_are_reordered_only_when_home_and_shm_do_not_come_first(volumes, reordered):
    mounts = [mount(v["name"], {"home": HOME, "dshm": "/dev/shm"}.get(v["name"], "/data")) for v in volumes]
    assert _read(volumes, mounts)[2] == ([REORDERED] if reordered else [])


@pytest.mark.parametrize(
    ("volumes", "mounts", "refused"),
    [
        (
            [pvc("home"), {"name": "cfg", "configMap": {"name": "c"}}, {"name": "bare"}],
            [mount("home"), mount("cfg", "/cfg"), mount("bare", "/bare")],
            [
                f"{AT}.volumes[1]: volume 'cfg' (configMap) {NOT_MODELLED}",
                f"{AT}.volumes[2]: volume 'bare' (no source) {NOT_MODELLED}",
            ],
        ),
        (
            [
                pvc("home"),
                shm("tmp", sizeLimit="1Gi"),
                pvc("x", subPath="a"),
                {**pvc("both"), "emptyDir": {}},
            ],
            [mount("home")],
            [
                f"{AT}.volumes[1]: volume 'tmp' (emptyDir) {NOT_MODELLED}",
                f"{AT}.volumes[2]: volume 'x' (persistentVolumeClaim) {NOT_MODELLED}",
                f"{AT}.volumes[3]: volume 'both' (emptyDir, persistentVolumeClaim) {NOT_MODELLED}",
            ],
        ),
        (
            [pvc("home"), pvc("data")],
            [
                mount("home", subPath="h", readOnly=False),
                mount("ghost", "/g"),
                mount("data", "/d"),
                mount("data", "/e"),
            ],
            [
                f"{MOUNTS}[0].subPath: not modelled",
                f"{MOUNTS}[1]: mounts 'ghost', which is not a volume of the pod",
                f"{MOUNTS}[3]: volume 'data' is mounted twice",
                f"{AT}.volumes: claim 'data' is mounted twice",
            ],
        ),
        (
            [pvc("home", readOnly=True), shm("dshm"), pvc("data")],
            [mount("home"), mount("dshm", "/tmp"), mount("data", "/dev/shm")],
            [
                f"{MOUNTS}[0]: a read-only home volume is not modelled",
                f"{MOUNTS}[1]: an in-memory emptyDir is modelled only at /dev/shm, not /tmp",
                f"{MOUNTS}[2]: a claim at /dev/shm is not modelled",
            ],
        ),
        (
            [pvc("spare-b"), pvc("spare-a"), pvc("data")],
            [mount("data", "/data")],
            [
                f"{AT}.volumes: volume 'spare-a' is not mounted",
                f"{AT}.volumes: volume 'spare-b' is not mounted",
                NO_HOME,
            ],
        ),
        (
            [pvc("home"), pvc("again", "home")],
            [mount("home"), mount("again", "/again")],
            [f"{AT}.volumes: claim 'home' is mounted twice"],
        ),
        ([], [], [NO_HOME]),
    ],
    ids=[
        "unknown sources",
        "sources with extra fields",
        "mounts",
        "paths",
        "not mounted",
        "one claim twice",
        "nothing",
    ],
)
def test_what_teamspace_cannot_mount_is_refused_by_its_path(volumes, mounts, refused):
    assert _read(volumes, mounts)[1] == refused
