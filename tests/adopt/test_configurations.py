"""Which PodDefault a notebook's selection label adopts, and how (adopt/configurations.py)."""

from __future__ import annotations

from adopt.configurations import select


def _pod_default(name: str, label: str, env: list[dict], desc: str = "") -> dict:
    spec = {"selector": {"matchLabels": {label: "true"}}, "env": env}
    if desc:
        spec["desc"] = desc
    return {"kind": "PodDefault", "metadata": {"name": name, "namespace": "data"}, "spec": spec}


def test_of_several_podDefaults_selecting_one_label_the_first_by_name_is_chosen_whatever_the_input_order():
    env = [{"name": "A", "value": "1"}]
    candidates = [_pod_default("proxy-b", "proxy", env), _pod_default("proxy-a", "proxy", env)]
    for order in (candidates, candidates[::-1]):
        selection = select("proxy", order)
        assert selection.name == "proxy-a"
        assert selection.external_entry == {"name": "proxy-a", "label": "proxy"}


def test_env_from_one_secret_is_adopted_as_secretEnv_with_its_keys():
    env = [
        {"name": key, "valueFrom": {"secretKeyRef": {"name": "s3-credentials", "key": key}}}
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
    ]
    selection = select("s3", [_pod_default("s3", "s3", env, desc="Object storage")])
    assert selection.managed == {
        "secretEnv": {"secret": "s3-credentials", "keys": ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]},
        "desc": "Object storage",
    }
    assert not selection.findings.changes
