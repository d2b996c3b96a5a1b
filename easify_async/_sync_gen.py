"""Write the blocking client's surface (``_sync_client.py``) from the async client.

Run ``python -m easify_async._sync_gen`` after changing a call's signature or docstring;
``tests/sync/test_generated.py`` fails while the checked-in file differs from what this
writes. Every group of `AsyncEasify` (its cached properties), every group nested in one
(``v3.email``) and every public method are found, not listed: their parameters,
annotations and defaults are copied from the source as written, their docstrings adjusted
by `sync_doc`, and their return types by `sync_annotation`.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import inspect
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

__all__ = ["generate", "sync_annotation", "sync_doc"]

TARGET = Path(__file__).with_name("_sync_client.py")
PACKAGE = "easify_async"

# Docstring adjustments, in order: whole phrases first, then the words.
_DOC_RULES: list[tuple[str, str]] = [
    (r"``await`` it for the first page", "call ``first_page()`` for the first page"),
    (r"``await`` for the first `Page`", "``first_page()`` for the first `SyncPage`"),
    (r"an `AsyncPaginator`", "a `Paginator`"),
    (r"any iterable or async iterable", "any iterable"),
    (r"``async with``", "``with``"),
    (r"``async for``", "``for``"),
    (r"``aclose``", "``close``"),
    (r"\basync with ", "with "),
    (r"\basync for ", "for "),
    (r"\bawait ", ""),
    (r"\bAsyncEasify\b", "Easify"),
    (r"\bAsyncPaginator\b", "Paginator"),
]
_ANNOTATION_RULES: list[tuple[str, str]] = [
    (r"\s*\|\s*AsyncIterable\[([^\[\]]*)\]", ""),
    (r"\bAsyncGenerator\[(.*), None\]$", r"Generator[\1, None, None]"),
    (r"\bAsyncPaginator\b", "Paginator"),
    (r"\bAsyncEasify\b", "Easify"),
]
# Names the adjusted annotations bring in, and the generated module's own.
_OWN = {
    "Generator": ("collections.abc", "Generator"),
    "Iterable": ("collections.abc", "Iterable"),
    "Paginator": (f"{PACKAGE}._sync", "Paginator"),
    "Runner": (f"{PACKAGE}._sync", "Runner"),
}


def sync_doc(doc: str) -> str:
    """An async docstring as the blocking call's: ``await``/``async for`` gone, names swapped."""
    for pattern, replacement in _DOC_RULES:
        doc = re.sub(pattern, replacement, doc)
    return doc


def sync_annotation(annotation: str) -> str:
    """An async annotation as the blocking call's (``AsyncPaginator`` -> ``Paginator`` ...)."""
    for pattern, replacement in _ANNOTATION_RULES:
        annotation = re.sub(pattern, replacement, annotation)
    return annotation


def _module_names(module_name: str) -> dict[str, tuple[str, str]]:
    """Every name a module imports or defines at its top level: (module, name) each."""
    module = importlib.import_module(module_name)
    tree = ast.parse(inspect.getsource(module))
    package = module_name if hasattr(module, "__path__") else module_name.rpartition(".")[0]
    found: dict[str, tuple[str, str]] = {}

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                visit(node.body)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    parts = parts[: len(parts) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                for alias in node.names:
                    found[alias.asname or alias.name] = (base, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    found[alias.asname or alias.name] = (alias.name, "")
            elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                found[node.name] = (module_name, node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        found[target.id] = (module_name, target.id)

    visit(tree.body)
    return found


class _Imports:
    """The imports the generated module needs: at run time (defaults) or for types only."""

    def __init__(self) -> None:
        self.runtime: dict[str, tuple[str, str]] = {}
        self.typing: dict[str, tuple[str, str]] = {}

    def need(self, text: str, where: dict[str, tuple[str, str]], *, runtime: bool) -> None:
        for node in ast.walk(ast.parse(text, mode="eval")):
            if not isinstance(node, ast.Name) or hasattr(builtins, node.id) or node.id == "Easify":
                continue
            source = _OWN.get(node.id) or where.get(node.id)
            if source is None:
                raise LookupError(f"cannot find where {node.id!r} comes from")
            table = self.runtime if runtime else self.typing
            known = self.runtime.get(node.id) or self.typing.get(node.id)
            if known is not None and known != source:
                raise LookupError(f"{node.id!r} names both {known} and {source}")
            table[node.id] = source

    def render(self) -> str:
        def lines(table: dict[str, tuple[str, str]], indent: str) -> list[str]:
            sections: list[list[tuple[tuple[str, int, str], str]]] = [[], [], []]
            by_module: dict[str, list[str]] = {}
            for name, (module, real) in table.items():
                section = _section(module)
                if not real:
                    alias = "" if name == module else f" as {name}"
                    line = f"{indent}import {module}{alias}"
                    sections[section].append(((module, 0, ""), line))
                elif real != name:  # ruff keeps each `as` import a statement of its own
                    line = f"{indent}from {_relative(module)} import {real} as {name}"
                    sections[section].append(((_relative(module), 1, real), line))
                else:
                    by_module.setdefault(module, []).append(name)
            for module, names in by_module.items():
                head = f"{indent}from {_relative(module)} import "
                line = _wrapped(head, sorted(names, key=_member_key), indent, "()")
                sections[_section(module)].append(((_relative(module), 1, ""), line))
            out: list[str] = []
            for rows in sections:
                if rows and out:
                    out.append("")
                out += [line for _, line in sorted(rows, key=lambda row: _module_key(row[0]))]
            return out

        typing_only = {k: v for k, v in self.typing.items() if k not in self.runtime}
        self.runtime.setdefault("TYPE_CHECKING", ("typing", "TYPE_CHECKING"))
        text = "\n".join(lines(self.runtime, ""))
        if typing_only:
            text += "\n\nif TYPE_CHECKING:\n" + "\n".join(lines(typing_only, "    "))
        return text


def _wrapped(head: str, items: list[str], indent: str, brackets: str) -> str:
    """``head`` and the items, on one line if it fits in 100 columns, else one item a line
    (as ruff format writes it). ``brackets``: "()" for an import, "[]" for a list."""
    opening, closing = brackets[0], brackets[1]
    inline = ", ".join(items)
    one = f"{head}{inline}" if brackets == "()" else f"{head}{opening}{inline}{closing}"
    if len(one) <= 100:
        return one
    body = "".join(f"{indent}    {item},\n" for item in items)
    return f"{head}{opening}\n{body}{indent}{closing}"


def _section(module: str) -> int:
    """isort's sections: the standard library, third parties, this package."""
    if module == PACKAGE or module.startswith(PACKAGE + "."):
        return 2
    return 0 if module.partition(".")[0] in sys.stdlib_module_names else 1


def _module_key(key: tuple[str, int, str]) -> tuple[bool, int, str, str]:
    module, kind, member = key
    # isort (ruff's profile): `import x` before `from x import`, within a section.
    return (kind == 1, 0, module.lower(), member)


def _member_key(name: str) -> tuple[int, str]:
    """isort's order-by-type: CONSTANTS, then Classes, then functions and variables."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[0].isupper() else 2
    return kind, name


def _relative(module: str) -> str:
    if module == PACKAGE:
        return "."
    if module.startswith(PACKAGE + "."):
        return "." + module[len(PACKAGE) + 1 :]
    return module


def _function_node(function: Any) -> tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    source = textwrap.dedent(inspect.getsource(function))
    node = ast.parse(source).body[0]
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    return source, node


def _doc_block(doc: str | None, indent: str) -> list[str]:
    if not doc:
        return []
    text = sync_doc(inspect.cleandoc(doc))
    lines = text.splitlines()
    body = [f"{indent}{line}" if line else "" for line in lines[1:]]
    if not body:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}', *body, f'{indent}"""']


class _Method:
    """One call as the blocking surface writes it."""

    def __init__(self, function: Any, where: dict[str, tuple[str, str]], imports: _Imports):
        self.name = function.__name__
        self.is_coroutine = inspect.iscoroutinefunction(function)
        self.doc = function.__doc__
        source, node = _function_node(function)
        self.params: list[str] = []
        self.passed: list[str] = []
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults += args.defaults
        rows = [(a, d, "positional") for a, d in zip(positional, defaults, strict=True)]
        if args.vararg or args.posonlyargs:
            raise NotImplementedError(f"{self.name}: *args or / are not generated")
        rows += [(a, d, "keyword") for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)]
        if args.kwarg is not None:  # the per-call options: `**options: Unpack[...]`
            rows.append((args.kwarg, None, "options"))
        star_done = False
        for index, (arg, default, kind) in enumerate(rows):
            if index == 0 and arg.arg == "self":
                continue
            if kind == "keyword" and not star_done:
                self.params.append("*")
                star_done = True
            text = f"**{arg.arg}" if kind == "options" else arg.arg
            if arg.annotation is not None:
                annotation = sync_annotation(ast.get_source_segment(source, arg.annotation) or "")
                annotation = " ".join(annotation.split())
                imports.need(annotation, where, runtime=False)
                text += f": {annotation}"
            if default is not None:
                default_text = ast.get_source_segment(source, default) or ""
                imports.need(default_text, where, runtime=True)
                text += f" = {default_text}" if arg.annotation is not None else f"={default_text}"
                if isinstance(default, ast.Call):
                    text += ",  # noqa: B008 - the async default, a frozen value"
            self.params.append(text)
            self.passed.append(f"**{arg.arg}" if kind == "options" else arg.arg)
        returns = ast.get_source_segment(source, node.returns) if node.returns else "None"
        self.returns = sync_annotation(" ".join((returns or "None").split()))
        imports.need(self.returns, where, runtime=False)
        raw_returns = " ".join((returns or "").split())
        self.kind = (
            "call" if self.is_coroutine
            else "paginate" if raw_returns.startswith("AsyncPaginator[")
            else "generate" if raw_returns.startswith("AsyncGenerator[")
            else "run_sync"
        )  # fmt: skip

    def signature(self, indent: str) -> list[str]:
        return [
            f"{indent}def {self.name}(",
            f"{indent}    self,",
            *(f"{indent}    {p}" if "# noqa" in p else f"{indent}    {p}," for p in self.params),
            f"{indent}) -> {self.returns}:",
        ]

    def arguments(self) -> list[str]:
        return [
            f"{name}=hold({name})"
            if name == "api_token"
            else name
            if name.startswith("**")
            else f"{name}={name}"
            for name in self.passed
        ]


def _call(indent: str, head: str, arguments: list[str]) -> str:
    """``head(arguments)`` laid out as ruff format lays it out."""
    one = f"{indent}{head}({', '.join(arguments)})"
    if len(one) <= 100:
        return one
    hugged = f"{indent}    {', '.join(arguments)}"
    if len(hugged) <= 100:
        return f"{indent}{head}(\n{hugged}\n{indent})"
    body = "".join(f"{indent}    {argument},\n" for argument in arguments)
    return f"{indent}{head}(\n{body}{indent})"


def _group_method(method: _Method) -> list[str]:
    indent = "        "
    head = "" if method.returns == "None" else "return "
    head += f"self._runner.{method.kind}"
    body = _call(indent, head, [f"self._group.{method.name}", *method.arguments()])
    return [*method.signature("    "), *_doc_block(method.doc, indent), body]


def _public_methods(cls: type) -> list[Any]:
    return [
        value
        for name, value in vars(cls).items()
        if not name.startswith("_") and inspect.isfunction(value)
    ]


def _nested_groups(cls: type, where: dict[str, tuple[str, str]]) -> list[tuple[str, type, str]]:
    """Groups a group holds (``V3.email``): ``self.x = Group(...)`` in its ``__init__``, or
    an attrs field typed with a group; each with its docstring (the attribute's, or the
    group's)."""
    found: list[tuple[str, type, str]] = []
    init = vars(cls).get("__init__")
    if init is not None and inspect.isfunction(init):
        try:
            _, node = _function_node(init)
        except (OSError, TypeError):
            node = None
        body = node.body if node is not None else []
        for index, statement in enumerate(body):
            if (
                isinstance(statement, ast.Assign)
                and isinstance(statement.value, ast.Call)
                and isinstance(statement.value.func, ast.Name)
                and len(statement.targets) == 1
                and isinstance(target := statement.targets[0], ast.Attribute)
                and not target.attr.startswith("_")
            ):
                group = _resolve(statement.value.func.id, where)
                after = body[index + 1] if index + 1 < len(body) else None
                doc = (
                    after.value.value
                    if isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                    else group.__doc__ or ""
                )
                found.append((target.attr, group, doc))
    fields = getattr(cls, "__attrs_attrs__", ())
    for field in fields:
        if field.name.startswith("_") or any(name == field.name for name, _, _ in found):
            continue
        annotation = field.type if isinstance(field.type, str) else ""
        if annotation in where:
            group = _resolve(annotation, where)
            if _public_methods(group):
                found.append((field.name, group, group.__doc__ or ""))
    return found


def _resolve(name: str, where: dict[str, tuple[str, str]]) -> type:
    module, real = where[name]
    value = getattr(importlib.import_module(module), real)
    assert isinstance(value, type)
    return value


def _group_class(cls: type, imports: _Imports, classes: list[str], done: set[type]) -> None:
    if cls in done:
        return
    done.add(cls)
    where = _module_names(cls.__module__)
    alias = "_async_" + cls.__module__.rpartition(".")[2]
    imports.typing[alias] = (cls.__module__.rpartition(".")[0], cls.__module__.rpartition(".")[2])
    nested = _nested_groups(cls, where)
    for _, group, _ in nested:
        _group_class(group, imports, classes, done)
    lines = [f"class {cls.__name__}:", *_doc_block(cls.__doc__, "    "), ""]
    lines += [
        f"    def __init__(self, runner: Runner, group: {alias}.{cls.__name__}) -> None:",
        "        self._runner = runner",
        "        self._group = group",
    ]
    for name, group, doc in nested:
        lines.append(f"        self.{name} = {group.__name__}(runner, group.{name})")
        lines += _doc_block(doc, "        ")
    for function in _public_methods(cls):
        lines += ["", *_group_method(_Method(function, where, imports))]
    classes.append("\n".join(lines))


def _client_class(imports: _Imports, classes: list[str]) -> str:
    from ._client import AsyncEasify

    where = _module_names(AsyncEasify.__module__)
    lines = [
        "class Easify(BlockingClient):",
        *_doc_block(AsyncEasify.__doc__, "    "),
    ]
    init = _Method(AsyncEasify.__init__, where, imports)
    lines += ["", *init.signature("    ")]
    lines += [
        "        try:",
        _call("            ", "self._start", ["AsyncEasify", *init.arguments()]),
        "        finally:",
        "            del api_token  # held as a Secret only, as in AsyncEasify",
    ]
    imports.runtime["AsyncEasify"] = (f"{PACKAGE}._client", "AsyncEasify")
    for name, value in vars(AsyncEasify).items():
        if isinstance(value, functools.cached_property):
            group = _resolve(_function_node(value.func)[1].returns.id, where)  # type: ignore[union-attr]
            _group_class(group, imports, classes, set())
            lines += [
                "",
                "    @functools.cached_property",
                f"    def {name}(self) -> {group.__name__}:",
                *_doc_block(value.__doc__, "        "),
                f'        return {group.__name__}(self._runner, self._group("{name}"))',
            ]
        elif name == "with_options":
            method = _Method(value, where, imports)
            arguments = ["self._client.with_options", *method.arguments()]
            call = _call("            ", "return self._child", arguments)
            lines += [
                "",
                *method.signature("    "),
                *_doc_block(value.__doc__, "        "),
                "        try:",
                call,
                "        finally:",
                "            del api_token",
            ]
    return "\n".join(lines)


def generate() -> str:
    """The text of ``_sync_client.py`` as the async client is now."""
    imports = _Imports()
    imports.runtime["functools"] = ("functools", "")
    imports.runtime["BlockingClient"] = (f"{PACKAGE}._sync", "BlockingClient")
    imports.runtime["hold"] = (f"{PACKAGE}._sync", "hold")
    imports.typing["Runner"] = (f"{PACKAGE}._sync", "Runner")
    groups: list[str] = []
    client = _client_class(imports, groups)
    unique: list[str] = []
    for text in groups:
        if text not in unique:
            unique.append(text)
    names = sorted(["Easify", *(text.split(":", 1)[0][len("class ") :] for text in unique)])
    header = [
        '"""The blocking client `Easify` and its groups: GENERATED, do not edit.',
        "",
        "Written by ``python -m easify_async._sync_gen`` from the async client's groups",
        "(signatures and docstrings); the calls run the async ones (see ``_sync``).",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        imports.render(),
        "",
        _wrapped("__all__ = ", [f'"{name}"' for name in names], "", "[]"),
    ]
    return "\n".join(header) + "\n\n\n" + "\n\n\n".join([client, *unique]) + "\n"


if __name__ == "__main__":
    TARGET.write_text(generate(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
