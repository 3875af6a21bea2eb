"""`load_stack_config` reads the running stack's own `Pulumi.<stack>.yaml` for plaintext secrets
(the runtime view cannot see a plaintext sibling inside an encrypted map)."""

from __future__ import annotations

import config.loader
from config import ConfigError
from config.loader import load_stack_config
from devtools.runtime import run_program

from ..harness import minimal_config


def test_the_running_stacks_file_is_checked(tmp_path, monkeypatch):
    (tmp_path / "Pulumi.x.yaml").write_text("config:\n  teamspace:secrets:\n    token: plain-value\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: {}\n")
    monkeypatch.setattr(config.loader, "PROJECT_ROOT", tmp_path)
    result = run_program(minimal_config(), stack="x", program=load_stack_config)
    assert isinstance(result.error, ConfigError), result.error
    assert [str(p) for p in result.error.problems] == [
        "teamspace:secrets.token: is stored in plain text in Pulumi.x.yaml; store it encrypted with "
        "`pulumi config set --secret --path teamspace:secrets.token` (the value is not shown here)"
    ]
