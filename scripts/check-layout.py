#!/usr/bin/env python3
"""Checks the dependency rules of docs/architecture.md on the source.

For each crate it reads every `crate::a::b` path and `use super::…` in code
(comments are skipped), builds the graph of modules, and fails when

- a module reaches, through its imports, a module that imports it (a loop), or
- a layer imports a layer it may not (the `ALLOWED` table below).

Exit status 0 when every rule holds; otherwise each broken rule is printed.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# crate source dir -> {layer: layers it may import (besides itself)}
ALLOWED = {
    "app/src": {
        "i18n": set(),
        "services": {"i18n"},
        "widgets": {"services", "i18n"},
        "screens": {"widgets", "services", "i18n"},
        "shell": {"screens", "widgets", "services", "i18n"},
        "lib": {"shell", "screens", "widgets", "services", "i18n"},
        "main": {"lib"},
    },
    "shared/src": {
        "open_enum": set(),
        "time": set(),
        "wire": {"open_enum", "time"},
        "view": {"wire", "time", "open_enum"},
        "lib": {"wire", "view", "time", "open_enum"},
    },
    "edge/src": None,  # flat: only the no-loop rule
}

PATH = re.compile(r"\bcrate::([a-z_0-9]+)(?:::([a-z_0-9]+))?")
SUPER = re.compile(r"\bsuper::([a-z_0-9]+)")
USE_GROUP = re.compile(r"\bcrate::\{([^}]*)\}")


def code_of(text: str) -> str:
    # Drop line comments (doc comments included) and string literals' contents.
    lines = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("//"):
            continue
        lines.append(re.sub(r'"(?:\\.|[^"\\])*"', '""', line))
    return "\n".join(lines)


def module_of(src: pathlib.Path, file: pathlib.Path) -> tuple[str, ...]:
    rel = file.relative_to(src).with_suffix("")
    parts = tuple(p for p in rel.parts if p != "mod")
    return parts or ("lib",)


def check(src_dir: str, allowed) -> list[str]:
    src = ROOT / src_dir
    files = sorted(src.rglob("*.rs"))
    modules = {module_of(src, f): f for f in files}
    graph: dict[tuple[str, ...], set[tuple[str, ...]]] = {m: set() for m in modules}
    for m, f in modules.items():
        text = code_of(f.read_text())
        refs = [(a, b) for a, b in PATH.findall(text)]
        for group in USE_GROUP.findall(text):
            for item in group.split(","):
                head = item.strip().split("::")
                if head and head[0]:
                    refs.append((head[0], head[1] if len(head) > 1 else ""))
        for a, b in refs:
            target = (a, b) if (a, b) in modules else (a,)
            if target in modules and target != m:
                graph[m].add(target)
        parent = m[:-1]
        for b in SUPER.findall(text):
            target = parent + (b,) if parent else (b,)
            if target in modules and target != m:
                graph[m].add(target)
    problems = []
    if allowed is not None:
        for m, deps in graph.items():
            layer = m[0]
            rule = allowed.get(layer)
            if rule is None:
                problems.append(f"{src_dir}: {'::'.join(m)} is in no known layer (add it to scripts/check-layout.py and docs/architecture.md)")
                continue
            for d in deps:
                if d[0] != layer and d[0] not in rule:
                    problems.append(f"{src_dir}: {'::'.join(m)} imports {'::'.join(d)} ({layer} may not import {d[0]})")
    # Loops between modules (files).
    state: dict = {}
    stack: list = []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == "open":
                loop = stack[stack.index(d):] + [d]
                problems.append(f"{src_dir}: import loop " + " -> ".join("::".join(x) for x in loop))
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return problems


def main() -> int:
    problems = []
    for src_dir, allowed in ALLOWED.items():
        problems += check(src_dir, allowed)
    for p in problems:
        print(p)
    if problems:
        return 1
    print("layout: every module keeps the dependency rules of docs/architecture.md, no import loop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
