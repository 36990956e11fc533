"""A griffe extension that renders the package's reST-flavoured docstrings as Markdown.

The docstrings use Sphinx roles (``:class:`~pkg.Name```), literal blocks introduced by ``::`` and
``.. code-block:: python`` directives under an ``Example:`` line. For the API reference, roles
become code spans and both kinds of block become fenced Python code. ``Example:`` lines are kept
as text, so that the Google-style parser does not read the code as a section of doctest examples.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import griffe

_ROLE = re.compile(r":(?:class|meth|func|attr|data|mod|exc|obj|const):`(?P<short>~?)(?P<target>[^`]+)`")
_EXAMPLE_TITLE = re.compile(r"^[ \t]*Examples?:[ \t]*$")
_DIRECTIVE = re.compile(r"^[ \t]*\.\. code-block::")


def _role(match: re.Match[str]) -> str:
    target = match["target"]
    return f"`{target.rsplit('.', 1)[-1] if match['short'] else target}`"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def rest_to_markdown(text: str) -> str:
    """Roles become code spans; literal blocks and code-block directives become fenced code."""
    lines = _ROLE.sub(_role, text).splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        opens_block = bool(_DIRECTIVE.match(line)) or line.rstrip().endswith("::")
        if _EXAMPLE_TITLE.match(line):
            out.append("For example:")
        elif opens_block:
            if not _DIRECTIVE.match(line):
                intro = line.rstrip()[:-1]  # "Returns, e.g.::" -> "Returns, e.g.:"
                out.append("For example:" if _EXAMPLE_TITLE.match(intro) else intro)
            base = _indent(line)
            body: list[str] = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > base):
                body.append(lines[i])
                i += 1
            while body and not body[-1].strip():
                body.pop()
            out += ["", "```python", *textwrap.dedent("\n".join(body)).strip("\n").splitlines(), "```", ""]
            continue
        else:
            out.append(line)
        i += 1
    return "\n".join(out)


class RestDocstrings(griffe.Extension):
    def on_object(self, *, obj: griffe.Object, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rest_to_markdown(obj.docstring.value)
