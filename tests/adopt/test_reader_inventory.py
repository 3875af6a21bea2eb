"""adopt.reader: how the objects read are sorted by kind (`inventory_of`), what is skipped and
counted, and what `read_documents` makes of Lists, empty documents and unreadable files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from adopt.reader import KINDS, InputError, Inventory, inventory_of, read_documents

PULL = "kubernetes.io/dockerconfigjson"


def obj(kind, name="x", namespace="ns", **extra):
    return {"kind": kind, "metadata": {"name": name, "namespace": namespace}, **extra}


def test_objects_are_sorted_by_kind_and_everything_else_is_counted_by_what_it_is():
    first = obj("Notebook", "lab", apiVersion="kubeflow.org/v1", spec={"n": 1})
    again = obj("Notebook", "lab", apiVersion="kubeflow.org/v1beta1", spec={"n": 2})
    other = obj("Notebook", "lab", namespace="other", apiVersion="kubeflow.org/v1alpha1")
    lone, lone_again = (
        obj("Notebook", "solo", namespace=None, apiVersion="kubeflow.org/v1", n=n) for n in (1, 2)
    )
    claim, pod_default = obj("PersistentVolumeClaim", "data", namespace=None), obj("PodDefault", "proxy")
    profile, quota = obj("Profile", "team", namespace=None), obj("ResourceQuota", "q")
    found = inventory_of(
        [
            first,
            other,
            again,
            lone,
            lone_again,
            obj("Notebook", "old", apiVersion="kubeflow.org/v2"),
            claim,
            pod_default,
            profile,
            quota,
            obj("Secret", "pull", type=PULL, data={"k": "c2VjcmV0"}),
            obj("Secret", "", type=PULL),
            obj("Secret", "token"),
            obj("Secret", "tls", type="kubernetes.io/tls"),
            obj("ConfigMap"),
            obj("ConfigMap", "y"),
            obj("PodDefault", ""),
            obj(None),
            obj("K" * 100),
            {"kind": "Pod", "metadata": {"name": 3}},
            {"kind": "Pod", "metadata": {"name": "p", "namespace": 5}},
            {"kind": "Pod", "metadata": "p"},
            {"metadata": None},
        ]
    )
    assert found == Inventory(
        notebooks=[other, again, lone_again],
        claims={("", "data"): claim},
        pod_defaults=[pod_default],
        profiles={"team": profile},
        quotas=[quota],
        pull_secrets={("ns", "pull")},
        ignored={
            "Notebook kubeflow.org/v2": 1,
            f"Secret of type {PULL}": 1,
            "Secret of type Opaque": 1,
            "Secret of type kubernetes.io/tls": 1,
            "ConfigMap": 2,
            "PodDefault": 1,
            "(no kind)": 2,
            "K" * 80: 1,
            "Pod without a proper metadata.name": 3,
        },
    )


@pytest.mark.parametrize(
    "document",
    [
        obj("Notebook", apiVersion="kubeflow.org/v1"),
        obj("PersistentVolumeClaim"),
        obj("PodDefault"),
        obj("Profile"),
        obj("ResourceQuota"),
        obj("Secret", type=PULL),
    ],
)
def test_one_object_of_any_kind_read_is_enough(document):
    inventory_of([obj("ConfigMap"), document])


@pytest.mark.parametrize(
    "documents, found",
    [([], "none"), ([obj("ConfigMap"), obj("Secret"), obj("Notebook", apiVersion="v1")], None)],
)
def test_nothing_of_a_kind_read_is_an_error_listing_what_was_found(documents, found):
    with pytest.raises(InputError) as refused:
        inventory_of(documents)
    assert str(refused.value) == (
        f"no object of a kind this tool reads ({', '.join(KINDS)}); "
        f"found: {found or 'ConfigMap, Notebook v1, Secret of type Opaque'}"
    )


def test_lists_are_flattened_and_empty_documents_skipped(tmp_path: Path):
    (tmp_path / "a.yaml").write_text(
        "---\n---\nkind: List\nitems:\n- kind: PodDefault\n- 3\n"
        "- kind: ConfigMapList\n  items: [{kind: Profile}]\n"
        "---\nkind: List\nitems: {kind: Notebook}\n---\nkind: Secret\n",
        encoding="utf-8",
    )
    assert read_documents([tmp_path / "a.yaml"]) == [
        {"kind": "PodDefault"},
        {"kind": "Profile"},
        {"kind": "List", "items": {"kind": "Notebook"}},
        {"kind": "Secret"},
    ]


@pytest.mark.parametrize(
    "content, why",
    [
        (b"kind: [unclosed\n", "not valid YAML: while parsing a flow sequence"),
        (b"kind: caf\xe9\n", "not valid YAML: 'utf-8' codec can't decode byte 0xe9 in position 9: invalid"),
        (b"kind: Secret\n---\n- a\n", "a document is a list, not a Kubernetes object"),
        (b"just text\n", "a document is a str, not a Kubernetes object"),
    ],
)
def test_an_unreadable_file_is_named_with_why(tmp_path: Path, content: bytes, why: str):
    (tmp_path / "in.yaml").write_bytes(content)
    with pytest.raises(InputError) as refused:
        read_documents([tmp_path / "in.yaml"])
    assert str(refused.value).startswith(f"{tmp_path / 'in.yaml'}: {why}")


def test_files_are_read_as_utf_8_even_where_the_default_encoding_is_not(tmp_path: Path, monkeypatch):
    (tmp_path / "in.yaml").write_text(
        "kind: PodDefault\nspec: {desc: Proxy für das Labor}\n", encoding="utf-8"
    )
    # What a file opened without an encoding gets on a cp1252 (Windows) or Latin-1 machine.
    monkeypatch.setattr(io, "text_encoding", lambda encoding, *rest: encoding or "cp1252")
    assert read_documents([tmp_path / "in.yaml"]) == [
        {"kind": "PodDefault", "spec": {"desc": "Proxy für das Labor"}}
    ]
