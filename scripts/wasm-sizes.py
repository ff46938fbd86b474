#!/usr/bin/env python3
"""Where a wasm module's bytes go: the largest functions by body size, and
the totals by crate, read from the module's code and name sections.

    scripts/wasm-sizes.py dist/pkg-*/app_bg.wasm [--top 40] [--filter TEXT]

Needs the function names: build the board with APP_WASM_NAMES=1
(scripts/app-wasm.sh keeps the name section then). Sizes are raw bytes of
each function's body; gzip shrinks them roughly alike.
"""
import argparse
import collections
import re
import sys


def leb(data, at):
    """An unsigned LEB128 at `at`: (value, next position)."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def sections(data):
    at = 8
    while at < len(data):
        kind = data[at]
        size, at = leb(data, at + 1)
        yield kind, data[at:at + size]
        at += size


def imported_functions(body):
    count, at = leb(body, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            n, at = leb(body, at)
            at += n
        kind = body[at]
        at += 1
        if kind == 0:  # function: type index
            _, at = leb(body, at)
            functions += 1
        elif kind == 1:  # table: element type, limits
            at += 1
            flags, at = leb(body, at)
            _, at = leb(body, at)
            if flags & 1:
                _, at = leb(body, at)
        elif kind == 2:  # memory: limits
            flags, at = leb(body, at)
            _, at = leb(body, at)
            if flags & 1:
                _, at = leb(body, at)
        elif kind == 3:  # global: type, mutability
            at += 2
    return functions


def function_names(body):
    names = {}
    at = 0
    n, at = leb(body, at)
    at += n  # the section's own name, "name"
    while at < len(body):
        sub = body[at]
        size, at = leb(body, at + 1)
        end = at + size
        if sub == 1:
            count, p = leb(body, at)
            for _ in range(count):
                index, p = leb(body, p)
                length, p = leb(body, p)
                names[index] = body[p:p + length].decode("utf-8", "replace")
                p += length
        at = end
    return names


def crate_of(name):
    """The first path segment of a (demangled-looking) Rust name."""
    name = re.sub(r"^<", "", name)
    head = re.split(r"::|<| as ", name)[0]
    return head or name


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wasm")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    data = open(args.wasm, "rb").read()
    imported = 0
    bodies = []
    names = {}
    for kind, body in sections(data):
        if kind == 2:
            imported = imported_functions(body)
        elif kind == 10:
            count, at = leb(body, 0)
            for _ in range(count):
                size, at = leb(body, at)
                bodies.append(size)
                at += size
        elif kind == 0 and body[1:5] == b"name":
            names = function_names(body)
    if not names:
        sys.exit("no function names in this module: build it with APP_WASM_NAMES=1")
    rows = [(size, names.get(imported + i, f"func[{imported + i}]")) for i, size in enumerate(bodies)]
    rows = [r for r in rows if args.filter in r[1]]
    total = sum(size for size, _ in rows)
    print(f"{len(rows)} functions, {total} bytes of code")
    by_crate = collections.Counter()
    for size, name in rows:
        by_crate[crate_of(name)] += size
    print("\nby crate:")
    for crate, size in by_crate.most_common(25):
        print(f"  {size:>9}  {crate}")
    print(f"\nlargest {args.top}:")
    for size, name in sorted(rows, reverse=True)[: args.top]:
        print(f"  {size:>9}  {name[:150]}")


if __name__ == "__main__":
    main()
