"""Each layer that keeps secret values out of a plan-diff report, tested on its own: Secret `data`
and `stringData` redaction, registry passwords in image inputs, secrets found in the stack files
(ciphertexts and plaintext under secret-like names such as DB_PASSWORD or API_TOKEN), and the
mask over the final report that `main` prints and writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from devtools import plan_diff
from devtools.manifest_diff import compare, redact_document, report
from devtools.secret_mask import changed_secrets, mask, secret_config
from devtools.side_render import Side

VALUE = "Plain-Secret-5e1f9a"


def secret(**fields) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s3", "namespace": "team"}, **fields}


@pytest.mark.parametrize("key", ["data", "stringData"])
def test_secret_data_and_string_data_are_redacted(key):
    """Each of `data` and `stringData` is redacted by itself, as a map or as anything else."""
    assert redact_document(secret(**{key: {"password": VALUE}}))[key] == {"password": "[secret]"}
    assert redact_document(secret(**{key: VALUE}))[key] == "[secret]"
    other = "stringData" if key == "data" else "data"
    assert redact_document(secret(**{key: {"k": VALUE}, other: {"k": "x"}}))[other] == {"k": "[secret]"}
    configmap = {"kind": "ConfigMap", key: {"k": VALUE}}
    assert redact_document(configmap) == configmap  # only Secrets: a ConfigMap is shown as it is


def test_registry_password_in_image_inputs_is_redacted():
    image = {
        "pulumiType": "docker:index/image:Image",
        "inputs": {"imageName": "x", "registry": {"server": "r", "username": "u", "password": VALUE}},
    }
    redacted = redact_document(image)
    assert redacted["inputs"]["registry"] == {"server": "r", "username": "u", "password": "[secret]"}
    assert image["inputs"]["registry"]["password"] == VALUE  # the caller's document is not changed


def stack_file(tmp_path: Path, name: str, config: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"config": config}))
    return path


def test_secret_like_env_names_in_the_stack_file_are_found(tmp_path: Path):
    """Plaintext under DB_PASSWORD or API_TOKEN (here in a configuration's env) is a secret of
    the stack file; an ordinary env entry is not. Nothing else would hide it: it renders as is."""
    env = {"DB_PASSWORD": VALUE, "API_TOKEN": "tok-" + VALUE, "HTTP_PROXY": "http://proxy:3128"}
    path = stack_file(
        tmp_path, "Pulumi.dev.yaml", {"teamspace:teams": {"t": {"configurations": {"db": {"env": env}}}}}
    )
    found = secret_config(path)
    assert found == {
        "teamspace:teams.t.configurations.db.env.DB_PASSWORD": VALUE,
        "teamspace:teams.t.configurations.db.env.API_TOKEN": "tok-" + VALUE,
    }
    text = f"- value: {VALUE}\n- value: tok-{VALUE}\n- value: http://proxy:3128\n"
    assert mask(text, found.values()) == "- value: [secret]\n- value: [secret]\n- value: http://proxy:3128\n"


def test_ciphertexts_and_password_keys_are_found(tmp_path: Path):
    path = stack_file(
        tmp_path,
        "Pulumi.dev.yaml",
        {
            "teamspace:registryPassword": {"secure": "v1:cipher"},
            "teamspace:pullPassword": VALUE,
            "teamspace:kubeflowUrl": "https://kubeflow.example.com",
        },
    )
    assert secret_config(path) == {"teamspace:registryPassword": "v1:cipher", "teamspace:pullPassword": VALUE}
    assert secret_config(tmp_path / "missing.yaml") == {}


def test_final_report_mask(monkeypatch, tmp_path: Path, capsys):
    """A secret that only the stack file knows, inside an object no other layer redacts (a
    ConfigMap): the report itself holds it, and `main` prints and writes it masked."""
    base = {
        "ConfigMap_t_c.yaml": {
            "kind": "ConfigMap",
            "metadata": {"name": "c", "namespace": "t"},
            "data": {"DB_PASSWORD": "old-" + VALUE},
        }
    }
    head = {"ConfigMap_t_c.yaml": {**base["ConfigMap_t_c.yaml"], "data": {"DB_PASSWORD": VALUE}}}
    diffs = [compare("dev", Side(base), Side(head))]
    assert VALUE in report(diffs, "HEAD", "0" * 12)  # what the mask is for
    monkeypatch.setattr(plan_diff, "plan_diff", lambda *a, **k: (diffs, "0" * 12, {VALUE, "old-" + VALUE}))
    out = tmp_path / "report.md"
    assert plan_diff.main(["--base", "HEAD", "--out", str(out)]) == 0
    printed = capsys.readouterr()
    for text in (printed.out, printed.err, out.read_text()):
        assert VALUE not in text
    assert "DB_PASSWORD: '[secret]'" in out.read_text() or "DB_PASSWORD: [secret]" in out.read_text()


def test_changed_secret_paths(tmp_path: Path):
    """Which secret config paths differ: ciphertexts, plaintext under password-like keys, nested maps."""
    base = stack_file(
        tmp_path,
        "base.yaml",
        {
            "teamspace:pullPassword": {"secure": "v1:aaaa"},
            "teamspace:registryPassword": "plain-one",
            "teamspace:secrets": {"s3": {"secure": "v1:bbbb"}, "gone": {"secure": "v1:cccc"}},
            "teamspace:kubeflowUrl": "https://a.example.com",
        },
    )
    head = stack_file(
        tmp_path,
        "head.yaml",
        {
            "teamspace:pullPassword": {"secure": "v1:aaaa"},
            "teamspace:registryPassword": "plain-two",
            "teamspace:secrets": {"s3": {"secure": "v1:dddd"}, "new": {"secure": "v1:eeee"}},
            "teamspace:kubeflowUrl": "https://b.example.com",
        },
    )
    assert changed_secrets(base, head) == [
        "teamspace:registryPassword",
        "teamspace:secrets.gone",
        "teamspace:secrets.new",
        "teamspace:secrets.s3",
    ]
    assert changed_secrets(base, base) == []
    assert changed_secrets(base, tmp_path / "missing.yaml") == []


def test_everything_under_a_secret_key_is_found_with_its_path(tmp_path: Path):
    """A password-like key hides every string below it, in maps and lists, each by its own path;
    a `secure` entry beside other keys is a secret too. A list elsewhere hides nothing."""
    path = stack_file(
        tmp_path,
        "Pulumi.dev.yaml",
        {
            "teamspace:apiTokens": ["tok-one", {"extra": ["tok-two"]}],
            "teamspace:dbPassword": {"primary": VALUE, "port": 5432},
            "teamspace:odd": {"secure": "v1:odd", "note": "kept"},
            "teamspace:hosts": ["a.example.com", {"name": "b.example.com"}],
        },
    )
    assert secret_config(path) == {
        "teamspace:apiTokens[0]": "tok-one",
        "teamspace:apiTokens[1].extra[0]": "tok-two",
        "teamspace:dbPassword.primary": VALUE,
        "teamspace:odd.secure": "v1:odd",
    }


def test_a_secret_inside_a_longer_one_leaves_no_part_of_it():
    """The longer secret is masked first: masking `zzzz` first would leave `a-` of `a-zzzz`."""
    assert mask("was a-zzzz, now zzzz", {"zzzz", "a-zzzz"}) == "was [secret], now [secret]"
    assert mask("nothing here", set()) == "nothing here"
