"""Reading the files a user writes (scenarios, phrases, chat configs, suites): UTF-8, safe YAML, or a clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class NotUtf8(ValueError):
    """A file that is not UTF-8 text: the line of its first bad byte, and that byte."""

    def __init__(self, line: int, byte: int) -> None:
        super().__init__(f"line {line}: byte 0x{byte:02x} is not UTF-8")
        self.line, self.byte = line, byte

    @property
    def fix(self) -> str:
        return "save the file as UTF-8 (most editors: Save with encoding, UTF-8)"


def read_text(path: str | Path) -> str:
    """The file's text; NotUtf8, naming the line of the first byte that is not UTF-8, if it is not UTF-8."""
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotUtf8(raw[:exc.start].count(b"\n") + 1, raw[exc.start]) from None


class BadYaml(ValueError):
    """A YAML file simsuite refuses before reading its values: the line (or None), what is wrong, the fix."""

    def __init__(self, line: int | None, problem: str, fix: str) -> None:
        super().__init__(f"line {line}: {problem}" if line else problem)
        self.line, self.problem, self.fix = line, problem, fix


MAX_DEPTH = 100      # no simsuite file nests anywhere near this deep
MAX_NODES = 10_000   # values after aliases are expanded: a real file has a few hundred at most


def compose_yaml(source: str) -> Any:
    """The YAML node tree of `source` (None if empty), checked so reading its values is safe and fast.

    yaml.YAMLError for a syntax error (the caller words it); BadYaml for nesting too deep, aliases that
    expand to too much or refer to themselves (an "alias bomb"), and tags such as !!python/object.
    """
    import yaml

    _check_nesting(source)  # before PyYAML recurses into it: deep recursion can break the caller's own stack
    try:
        root = yaml.compose(source)
    except RecursionError:
        raise BadYaml(None, f"nests values more than {MAX_DEPTH} levels deep",
                      "flatten the file; simsuite files need only a few levels") from None
    if root is not None:
        _check_tree(root, yaml)
    return root


def _check_tree(root: Any, yaml: Any) -> None:
    safe_tags = {t for t in yaml.SafeLoader.yaml_constructors if t} | {"tag:yaml.org,2002:merge",
                                                                        "tag:yaml.org,2002:value"}
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        kids = _children(node, yaml)
        if done:
            on_path.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(k)] for k in kids)
            if sizes[id(node)] > MAX_NODES:
                raise BadYaml(node.start_mark.line + 1, f"aliases (*name) expand to more than {MAX_NODES} values",
                              "write the values out instead of repeating anchors (&name) inside each other")
            continue
        if id(node) in sizes:
            continue
        line = node.start_mark.line + 1
        if id(node) in on_path:
            raise BadYaml(line, "an alias (*name) refers to the value that contains it",
                          "write the value out instead of the alias")
        if depth > MAX_DEPTH:
            raise BadYaml(line, f"nests values more than {MAX_DEPTH} levels deep",
                          "flatten the file; simsuite files need only a few levels")
        if node.tag not in safe_tags:
            raise BadYaml(line, f"uses the tag {node.tag!r}, which simsuite does not read",
                          "remove the tag (!!python/..., !custom) and write a plain value")
        on_path.add(id(node))
        stack.append((node, depth, True))
        stack.extend((k, depth + 1, False) for k in kids)


def _children(node: Any, yaml: Any) -> list[Any]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_nesting(source: str) -> None:
    """BadYaml if brackets ([ {) or indentation nest more than MAX_DEPTH levels, found by reading the text."""
    depth, quote = 0, ""
    line = 1
    for char in source:
        if char == "\n":  # a quote does not run past its line here: at worst a bracket goes uncounted
            line, quote = line + 1, ""
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise BadYaml(line, f"nests values more than {MAX_DEPTH} levels deep",
                              "flatten the file; simsuite files need only a few levels")
        elif char in "]}":
            depth = max(0, depth - 1)
    for number, text in enumerate(source.splitlines(), 1):
        if len(text) - len(text.lstrip(" ")) > 2 * MAX_DEPTH + 40:
            raise BadYaml(number, f"is indented more than {MAX_DEPTH} levels deep",
                          "flatten the file; simsuite files need only a few levels")
