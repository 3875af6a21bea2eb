"""The Dockerfile rule checker (tests/dockerfile_rules.py) catches each planted breach."""

from __future__ import annotations

import pytest

from .dockerfile_rules import JUPYTER_CONFIG, dockerfile, image_rule_violations, jupyter_violations

GOOD = """\
ARG BASE_IMAGE=registry.example/notebook:1
FROM ${BASE_IMAGE}
ARG APT_PACKAGES=""
ARG PIP_PACKAGES=""
ARG PIP_REQUIREMENTS=""
LABEL org.opencontainers.image.title="t" org.opencontainers.image.description="d"
USER root
RUN apt-get update && apt-get install -y --no-install-recommends $APT_PACKAGES && rm -rf /var/lib/apt/lists/*
USER jovyan
RUN printf '%s\\n' "$PIP_REQUIREMENTS" > /tmp/r.txt && pip install --no-cache-dir $PIP_PACKAGES -r /tmp/r.txt
COPY --chown=jovyan:users a.json /tmp_home/jovyan/.config/a.json
"""
APT_RUN = next(line for line in GOOD.splitlines() if "apt-get install" in line)

BAD_CASES = {  # case -> (Dockerfile text, text expected in one violation)
    "ends as root": (GOOD + "USER root\n", "final USER"),
    "no USER in final stage": (GOOD.replace("USER jovyan\n", "") + "FROM ${BASE_IMAGE}\n", "final USER"),
    "installs sudo": (GOOD.replace("$APT_PACKAGES &&", "$APT_PACKAGES sudo &&"), "sudo"),
    "sudo default": (GOOD.replace('APT_PACKAGES=""', 'APT_PACKAGES="sudo"'), "sudo"),
    "sudoers file": (GOOD + "RUN echo 'jovyan ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/jovyan\n", "sudoers"),
    "sudo group": (GOOD + "RUN usermod -aG sudo jovyan\n", "sudo"),
    "pip --user": (GOOD + "RUN pip install --no-cache-dir --user kfp\n", "--user"),
    "pip3 --user": (GOOD + "RUN pip3 install --user --no-cache-dir kfp\n", "--user"),
    "PIP_USER env": (GOOD + "ENV PIP_USER=1\n", "PIP_USER"),
    "pip cache": (GOOD.replace("pip install --no-cache-dir", "pip install"), "--no-cache-dir"),
    "pip as root": (GOOD.replace("USER jovyan\n", "") + "USER jovyan\n", "not jovyan"),
    "entrypoint": (GOOD + 'ENTRYPOINT ["jupyter", "lab"]\n', "ENTRYPOINT"),
    "cmd": (GOOD + 'CMD ["jupyter", "lab"]\n', "CMD"),
    "writes /home/jovyan": (GOOD + "RUN echo 'set -o vi' >> /home/jovyan/.bashrc\n", "/home/jovyan"),
    "writes $HOME": (GOOD + "RUN mkdir -p ${HOME}/.config\n", "$HOME"),
    "copies to /home/jovyan": (GOOD + "COPY a.json /home/jovyan/a.json\n", "/home/jovyan"),
    "copies elsewhere": (GOOD + "COPY a.json /etc/a.json\n", "not under /tmp_home/jovyan"),
    "apt without cleanup": (GOOD.replace(" && rm -rf /var/lib/apt/lists/*", ""), "rm -rf /var/lib/apt/lists"),
    "apt without update": (GOOD.replace("apt-get update && ", ""), "apt-get update"),
    "apt with recommends": (GOOD.replace(" --no-install-recommends", ""), "--no-install-recommends"),
    "apt as jovyan": (GOOD.replace("USER root\n", ""), "not root"),
    "two apt layers": (GOOD.replace(APT_RUN, APT_RUN + "\n" + APT_RUN), "exactly one"),
    "apt ignores its arg": (GOOD.replace("$APT_PACKAGES", "libgl1"), "$APT_PACKAGES"),
    "hard-coded base": (GOOD.replace("FROM ${BASE_IMAGE}", "FROM ubuntu:22.04"), "BASE_IMAGE"),
    "no BASE_IMAGE arg": (GOOD.replace("ARG BASE_IMAGE=registry.example/notebook:1\n", ""), "BASE_IMAGE"),
    "arg out of scope": (
        'ARG APT_PACKAGES=""\n' + GOOD.replace('ARG APT_PACKAGES=""\n', ""),
        "APT_PACKAGES is not declared in the final stage",
    ),
    "package default": (GOOD.replace('PIP_PACKAGES=""', "PIP_PACKAGES=kfp"), "default to empty"),
    "pip ignores packages": (GOOD.replace("$PIP_PACKAGES", "kfp"), "$PIP_PACKAGES"),
    "requirements unused": (GOOD.replace(" -r /tmp/r.txt", ""), "$PIP_REQUIREMENTS"),
    "extra build arg": (GOOD.replace("LABEL", "ARG TOKEN\nLABEL"), "unexpected"),
    "arg after its RUN": (
        GOOD.replace('ARG APT_PACKAGES=""\n', "") + 'ARG APT_PACKAGES=""\n',
        "before its ARG",
    ),
    "index default": (
        GOOD.replace("LABEL", 'ARG PIP_INDEX_URL="https://pypi.example/simple"\nLABEL'),
        "default to empty",
    ),
    "no OCI labels": (GOOD.replace('LABEL org.opencontainers.image.title="t" ', "LABEL "), "image.title"),
}


def test_checker_accepts_minimal_gooddockerfile(tmp_path):
    """The reference Dockerfile for the negative cases is itself clean."""
    path = tmp_path / "Dockerfile"
    path.write_text(GOOD)
    assert image_rule_violations(path) == []


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_checker_reports_violation(case, tmp_path):
    """image_rule_violations reports each planted breach of the image rules."""
    text, expected = BAD_CASES[case]
    assert text != GOOD, f"case {case!r} no longer changes the reference Dockerfile"
    path = tmp_path / "Dockerfile"
    path.write_text(text)
    violations = image_rule_violations(path)
    assert any(expected in v for v in violations), violations


JUPYTER_BAD_CASES = {  # case -> (replace this, with that, text expected in one violation)
    "overwrites config": (f">> {JUPYTER_CONFIG}", f"> {JUPYTER_CONFIG}", "appended"),
    "config in home": (JUPYTER_CONFIG, "/home/jovyan/.jupyter/jupyter_lab_config.py", "appended"),
    "no chown": ("--chown=jovyan:users docmanager", "docmanager", "--chown=jovyan:users"),
    "wrong destination": ("extensionmanager-extension/plugin.jupyterlab-settings\n", "x.json\n", "copied to"),
}


@pytest.mark.parametrize("case", sorted(JUPYTER_BAD_CASES))
def test_jupyter_checker_reports_violation(case, tmp_path):
    """jupyter_violations reports each planted breach of the JupyterLab rules."""
    old, new, expected = JUPYTER_BAD_CASES[case]
    text = dockerfile("jupyter").read_text()
    assert old in text, f"case {case!r} no longer matches the Dockerfile"
    path = tmp_path / "Dockerfile"
    path.write_text(text.replace(old, new, 1))
    violations = jupyter_violations(path)
    assert any(expected in v for v in violations), violations
