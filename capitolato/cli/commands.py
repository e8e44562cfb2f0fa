"""The commands of `capitolato`, listed without importing them: a run imports only the module of its command.

capitolato/data/comandi.json names each command, the module that registers it and the summary that `--help`
shows (the first paragraph of the command's help). The summaries are derived from the commands themselves:
`python -m capitolato.cli.commands` writes them again, and a test fails when one is out of date.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

INDEX_FILE = Path(__file__).resolve().parent.parent / "data" / "comandi.json"


@functools.cache
def index() -> dict[str, dict[str, str]]:
    """Command name → {"modulo", "sintesi"}, in the order `--help` lists them."""
    return json.loads(INDEX_FILE.read_text(encoding="utf-8"))


class LazyGroup(TyperGroup):
    """The root group: the help lists every command from the index; resolving a command imports its module."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(index())

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in index():
            return super().get_command(ctx, cmd_name)
        return TyperCommand(cmd_name, help=index()[cmd_name]["sintesi"])

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] in index() and args[0] not in self.commands:
            self.add_command(load(args[0]), args[0])
        return super().resolve_command(ctx, args)


def load(name: str) -> Any:
    """The click command of `name`, registered by its module on an app of its own and guarded by the error edge."""
    from capitolato.cli.app import guard_all

    holder = typer.Typer(rich_markup_mode="rich", add_completion=False)
    importlib.import_module(f"capitolato.cli.{index()[name]['modulo']}").register(holder)
    guard_all(holder)
    command = typer.main.get_command(holder)
    return command.commands[name] if isinstance(command, TyperGroup) else command


def summary(command: Any) -> str:
    """The first paragraph of a command's help: what the list of commands shows."""
    return inspect.cleandoc(command.help or "").split("\n\n")[0]


def write_index() -> None:
    from capitolato.fsutil import atomic_write_bytes

    entries = {name: {**entry, "sintesi": summary(load(name))} for name, entry in index().items()}
    atomic_write_bytes(INDEX_FILE, (json.dumps(entries, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


if __name__ == "__main__":
    write_index()
