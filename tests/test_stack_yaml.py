"""Stack files are read as the Pulumi CLI reads them: YAML 1.2 (Go yaml.v3), duplicate keys
rejected, alias expansion bounded."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, StreamMark

from devtools.plan import render_stack
from devtools.stack_yaml import MAX_EXPANDED_NODES, StackFileError, read_stack_document, read_stack_file

from .harness import Template, minimal_config


def _write(tmp_path: Path, text: str, stack: str = "dev") -> Path:
    path = tmp_path / f"Pulumi.{stack}.yaml"
    path.write_text(text)
    return path


def test_yaml_1_1_booleans_are_strings(tmp_path):
    config = read_stack_file(
        _write(
            tmp_path,
            """\
config:
  teamspace:protectVolumes: true
  teamspace:teams:
    no: {notebooks: [{name: lab, type: jupyter, size: on}]}
    yes: {namespace: off}
""",
        )
    )
    teams = config["teamspace:teams"]
    assert set(teams) == {"no", "yes"}
    assert teams["no"]["notebooks"][0]["size"] == "on" and teams["yes"]["namespace"] == "off"
    assert config["teamspace:protectVolumes"] is True


def test_a_team_keyed_no_renders_as_team_and_namespace_no(tmp_path):
    config = read_stack_file(
        _write(
            tmp_path, "config:\n  teamspace:teams:\n    no:\n      notebooks: [{name: lab, type: jupyter}]\n"
        )
    )
    template = Template.synth(minimal_config(teams=config["teamspace:teams"]))
    assert template.notebook("lab")["metadata"]["namespace"] == "no"
    assert "no/lab" in template.result.outputs["notebookUrls"]


@pytest.mark.parametrize(
    "text,key,line,first",
    [
        (
            "config:\n  teamspace:protectVolumes: true\n  teamspace:kubeflowUrl: https://k\n"
            "  teamspace:protectVolumes: false\n",
            "teamspace:protectVolumes",
            4,
            2,
        ),
        ("config:\n  teamspace:teams:\n    a:\n      namespace: x\n      namespace: y\n", "namespace", 5, 4),
        (
            "config:\n  teamspace:teams:\n    a: {notebooks: [{name: l, type: jupyter, name: m}]}\n",
            "name",
            3,
            3,
        ),
    ],
)
def test_a_duplicate_key_is_an_error_naming_key_and_line(tmp_path, text, key, line, first):
    with pytest.raises(StackFileError) as error:
        read_stack_file(_write(tmp_path, text))
    message = str(error.value)
    assert f"line {line}: duplicate key '{key}'" in message and f"first at line {first}" in message
    assert message.startswith("Pulumi.dev.yaml:")


def billion_laughs() -> str:
    """The classic: nine levels of ten aliases each, 10^9 leaves from under a kilobyte."""
    names = string.ascii_lowercase[:9]
    lines = [
        "config:",
        "  teamspace:kubeflowUrl: https://k",
        '  teamspace:x0: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    for previous, name in zip(names, names[1:], strict=False):
        lines.append(f"  teamspace:x{name}: &{name} [{','.join(['*' + previous] * 10)}]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_file_fails_fast_with_a_clear_message(tmp_path):
    text = billion_laughs()
    assert len(text.encode()) < 1024
    with pytest.raises(StackFileError) as error:
        render_stack("dev", root=_write(tmp_path, text).parent)
    assert str(error.value) == (
        "Pulumi.dev.yaml: YAML aliases expand the document to more than 1,000,000 nodes "
        '(excessive aliasing, like a "billion laughs" file); the Pulumi CLI refuses such a file too'
    )


def test_modest_aliases_still_work(tmp_path):
    config = read_stack_file(
        _write(
            tmp_path,
            """\
config:
  teamspace:sizes:
    big: &big {cpu: "4", memory: 16Gi}
    bigger: {<<: *big, memory: 32Gi}
  teamspace:affinities:
    a: {required: &req [{key: k, operator: In, values: [v]}]}
    b: {required: *req}
""",
        )
    )
    assert config["teamspace:sizes"]["bigger"] == {"cpu": "4", "memory": "32Gi"}
    assert config["teamspace:affinities"]["b"] == config["teamspace:affinities"]["a"]


def test_broken_yaml_names_the_file_and_line(tmp_path):
    with pytest.raises(StackFileError, match=r"^Pulumi.dev.yaml: line [0-9]+: not valid YAML"):
        read_stack_file(_write(tmp_path, "config:\n  teamspace:teams:\n  - [unclosed\n"))


def test_the_line_named_is_the_line_at_fault(tmp_path):
    text = "config:\n  teamspace:kubeflowUrl: https://k\n teamspace:x: 2\n"
    with pytest.raises(
        StackFileError, match=r"^Pulumi.dev.yaml: line 3: not valid YAML: expected <block end>"
    ):
        read_stack_file(_write(tmp_path, text))


def test_an_alias_inside_its_own_anchor_is_refused_as_excessive_aliasing(tmp_path):
    with pytest.raises(StackFileError, match="excessive aliasing"):
        read_stack_file(_write(tmp_path, "config:\n  teamspace:x: &loop [*loop]\n"))


def test_a_stack_file_is_read_as_utf8_whatever_the_locale(tmp_path, ascii_locale):
    path = tmp_path / "Pulumi.dev.yaml"
    path.write_bytes('config:\n  teamspace:kubeflowUrl: "https://k/Café ✓"\n'.encode())
    assert read_stack_file(path) == {"teamspace:kubeflowUrl": "https://k/Café ✓"}


@pytest.mark.parametrize("text", ["- config\n", "just-text\n", "'config: {}'\n"])
def test_a_document_that_is_no_mapping_names_the_file(tmp_path, text):
    with pytest.raises(StackFileError) as error:
        read_stack_document(_write(tmp_path, text))
    assert str(error.value) == "Pulumi.dev.yaml: the document must be a mapping with a `config:` key"


@pytest.mark.parametrize("text", ["config: [a, b]\n", "config: just-text\n"])
def test_a_config_that_is_no_mapping_names_the_file(tmp_path, text):
    with pytest.raises(StackFileError) as error:
        read_stack_file(_write(tmp_path, text))
    assert str(error.value) == "Pulumi.dev.yaml: `config:` must be a mapping of keys to values"


def counted(padding: int, tail: str = "") -> str:
    """A stack file of 999,906 + `padding` nodes once its aliases are copied out: the document,
    `config`, its mapping, the keys `k` and `l` (5), `k`'s list of 99 scalars (100), and `l`'s
    list (1) of 9,998 copies of `k`'s (999,800) and `padding` scalars."""
    copies = ", ".join(["*k"] * 9_998 + ["0"] * padding)
    return f"config:\n  k: &k [{', '.join(['x'] * 99)}]\n  l: &l [{copies}]\n{tail}"


def test_the_alias_bound_counts_every_node_once_per_copy(tmp_path):
    """Exactly MAX_EXPANDED_NODES nodes is allowed; one more is excessive aliasing."""
    assert MAX_EXPANDED_NODES == 999_906 + 94
    assert len(read_stack_file(_write(tmp_path, counted(94)))["l"]) == 9_998 + 94
    with pytest.raises(StackFileError, match="excessive aliasing"):
        read_stack_file(_write(tmp_path, counted(95)))


def test_a_recursive_document_counts_in_full(tmp_path):
    with pytest.raises(StackFileError, match="excessive aliasing"):
        read_stack_document(_write(tmp_path, "&a [*a]\n"))  # the document is its own only item


def test_two_merge_keys_in_one_mapping_are_duplicates_as_in_the_cli(tmp_path):
    """yaml.v3 compares every key of a mapping by its text, `<<` included; one merge key whose
    entries a later key overrides is fine."""
    base = "config:\n  teamspace:a: &a {cpu: '1'}\n  teamspace:b: &b {memory: 1Gi}\n"
    merged = read_stack_file(_write(tmp_path, base + "  teamspace:c: {<<: [*a, *b], cpu: '2'}\n"))
    assert merged["teamspace:c"] == {"cpu": "2", "memory": "1Gi"}
    with pytest.raises(StackFileError) as error:
        read_stack_file(_write(tmp_path, base + "  teamspace:c:\n    <<: *a\n    <<: *b\n"))
    assert "line 6: duplicate key '<<' in one mapping (first at line 5)" in str(error.value)


def test_every_mapping_is_checked_after_an_alias_met_again(tmp_path):
    text = "config:\n  c: {q: 1, q: 2}\n  a: &x {p: 1}\n  b: *x\n"
    with pytest.raises(StackFileError, match="line 2: duplicate key 'q'"):
        read_stack_file(_write(tmp_path, text))


@pytest.mark.parametrize(
    "text, message",
    [
        ("config:\n  c: {<<: {q: 1, q: 2}}\n", "line 2: duplicate key 'q'"),
        ("config:\n  a: &a {p: 1}\n  c: {<<: *a, q: 1, q: 2}\n", "line 3: duplicate key 'q'"),
    ],
    ids=["inside-a-merged-mapping", "after-a-merge-key"],
)
def test_a_merge_key_hides_no_duplicate(tmp_path, text, message):
    with pytest.raises(StackFileError, match=message):
        read_stack_file(_write(tmp_path, text))


@pytest.mark.parametrize("tag", ["!custom x", "!!python/name:os.system"])
def test_a_tag_the_safe_loader_cannot_build_is_an_error_naming_the_line(tmp_path, tag):
    with pytest.raises(StackFileError) as error:
        read_stack_file(_write(tmp_path, f"config:\n  teamspace:a: {tag}\n"))
    assert str(error.value).startswith(
        "Pulumi.dev.yaml: line 2: not valid YAML: could not determine a constructor"
    )


def test_a_character_yaml_forbids_is_an_error_naming_the_file(tmp_path):
    with pytest.raises(StackFileError) as error:
        read_stack_file(_write(tmp_path, 'config:\n  teamspace:a: "\x07"\n'))
    assert str(error.value).startswith("Pulumi.dev.yaml: not valid YAML: unacceptable character #x0007")


@pytest.mark.parametrize(
    "tail, line",
    [("  ? [a]\n  : 1\n", 3), ("  ? {a: 1}\n  : 1\n", 3), ("  ? *k\n  : 1\n", 2)],
    ids=["sequence", "mapping", "alias-to-a-sequence"],
)
def test_a_collection_as_a_mapping_key_is_refused_as_by_the_cli(tmp_path, tail, line):
    """yaml.v3 fails on such a key ("invalid map key"), so the CLI never reads the file. An
    aliased key is named where its anchored collection is written."""
    with pytest.raises(StackFileError) as error:
        read_stack_document(_write(tmp_path, "config:\n  k: &k [x]\n" + tail))
    assert str(error.value) == (
        f"Pulumi.dev.yaml: line {line}: a mapping key must be text, not a sequence or mapping; "
        "the Pulumi CLI rejects the file"
    )


@pytest.mark.parametrize(
    "marks, message",
    [
        ({}, "Pulumi.dev.yaml: not valid YAML: bad"),
        ({"context_mark": 4}, "Pulumi.dev.yaml: line 5: not valid YAML: bad"),
        ({"problem_mark": 6, "context_mark": 4}, "Pulumi.dev.yaml: line 7: not valid YAML: bad"),
    ],
    ids=["no-mark", "context-mark-only", "problem-mark-first"],
)
def test_a_yaml_error_names_the_line_of_whichever_mark_it_has(tmp_path, monkeypatch, marks, message):
    """ruamel's marks are optional; the problem's line is the one at fault, else the context's."""

    def failing_compose(_yaml, _text):
        raise MarkedYAMLError(problem="bad", **{k: StreamMark("x", 0, line, 0) for k, line in marks.items()})

    monkeypatch.setattr(YAML, "compose", failing_compose)
    with pytest.raises(StackFileError) as error:
        read_stack_document(_write(tmp_path, "config: {}\n"))
    assert str(error.value) == message


def test_a_yaml_error_without_a_problem_text_shows_the_whole_error(tmp_path, monkeypatch):
    def failing_compose(_yaml, _text):
        raise MarkedYAMLError(context="while reading")

    monkeypatch.setattr(YAML, "compose", failing_compose)
    with pytest.raises(StackFileError) as error:
        read_stack_document(_write(tmp_path, "config: {}\n"))
    assert str(error.value) == "Pulumi.dev.yaml: not valid YAML: while reading"


def test_a_document_too_deep_to_walk_is_an_error_naming_the_file(tmp_path):
    text = "config:\n  teamspace:a: " + "[" * 5_000 + "]" * 5_000 + "\n"
    with pytest.raises(StackFileError) as error:
        read_stack_document(_write(tmp_path, text))
    assert str(error.value) == "Pulumi.dev.yaml: nested too deeply to be a stack file"
