"""``recommend``, ``plan-check``, ``tender-brief``, ``what-if`` and ``batch``: the library's answers
on the command line, as JSON or as the reports a person reads (Markdown, HTML, Word, PDF).

A report goes to standard output, or to the file named with ``-o FILE``; Word and PDF are
binary and need ``-o``.

Each command answers with the shipped knowledge base, or with the one in the folder named with
``--knowledge-base DIR``, loaded and checked first as the HTTP service loads its own: the answer
and its report carry that folder's version and digest.

A PROFILE is a YAML or JSON file, or ``-`` for standard input. Its values are read as a CSV
row's are (:func:`profile_data`): a number is decimal digits, ``"18"`` and ``18`` alike, and an
empty value means "not given". Bad input gets a message on standard error naming the file and
each offending field (or the flag, for a flag's value), and a non-zero exit code: 1 for an
invalid profile, plan or flag value or a knowledge base that does not load (its file and entry
named), 2 for a file that cannot be read or parsed.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
import yaml
from typer.core import TyperCommand

from recommender import (
    AnswerFormat,
    FieldProblem,
    KnowledgeBaseError,
    ProfileError,
    ProjectProfile,
    Recommendation,
    Recommender,
    check_plan,
    default_recommender,
    parse_plan_check,
    parse_profile,
    recommend_each,
    render,
    tender_brief_and_recommendation,
    what_if,
)
from recommender.cli import app
from recommender.reports import FORMATS, profile_data_from_text
from recommender.what_if import checked_keep

T = TypeVar("T")

EXIT_INVALID = 1
EXIT_UNREADABLE = 2


ProfileArg = Annotated[str, typer.Argument(metavar="PROFILE", help="A YAML or JSON file, or - for standard input.")]
FormatOpt = Annotated[
    AnswerFormat,
    typer.Option(
        "--format", "-f", help="json (default), md (Markdown), html, docx (Word) or pdf; docx and pdf need -o."
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
]
KnowledgeBaseOpt = Annotated[
    Path | None,
    typer.Option(
        "--knowledge-base",
        file_okay=False,
        metavar="DIR",
        help="Answer with the knowledge base in DIR, loaded and checked first (default: the shipped one).",
    ),
]


class _PlanCheckCommand(TyperCommand):
    """``plan-check``, whose help ends with the knowledge base's component ids (read only when shown)."""

    @property
    def epilog(self) -> str:
        components = default_recommender().kb.components.values()
        return (
            "Components for --in-place (in the shipped knowledge base): "
            + ", ".join(f"{c.id} ({c.title})" for c in components)
            + "."
        )

    @epilog.setter
    def epilog(self, value: str | None) -> None:
        """Click sets the epilog on construction; this one is always the knowledge base's."""


@app.command()
def recommend(
    profile: ProfileArg, fmt: FormatOpt = "json", output: OutputOpt = None, knowledge_base: KnowledgeBaseOpt = None
) -> None:
    """Recommend who should initiate the partnership and how closely to collaborate, with risks and mitigations."""
    _check_output(fmt, output)
    engine = _recommender(knowledge_base)
    rec = engine.recommend(_checked(profile, lambda: parse_profile(_profile(profile)), engine))
    _answer(rec, fmt, output, engine)


@app.command("plan-check", cls=_PlanCheckCommand)
def plan_check(
    source: ProfileArg,
    in_place: Annotated[
        list[str] | None,
        typer.Option("--in-place", "-c", metavar="COMPONENT", help="A component already in place (repeatable)."),
    ] = None,
    fmt: FormatOpt = "json",
    output: OutputOpt = None,
    knowledge_base: KnowledgeBaseOpt = None,
) -> None:
    """Check a partnership plan: its readiness, each gap's severity and what to add.

    The file holds either a profile (name the components in place with --in-place) or
    {"profile": {...}, "plan": {"in_place": [...]}}.
    """
    _check_output(fmt, output)
    engine, data = _recommender(knowledge_base), _read(source)
    if isinstance(data, dict) and "profile" in data:
        request = _checked(source, lambda: parse_plan_check({**data, "profile": profile_data(data["profile"])}), engine)
        profile, in_file = request.profile, list(request.plan.in_place)
    else:
        profile, in_file = _checked(source, lambda: parse_profile(profile_data(data)), engine), []
    flagged = _checked_components(in_place or [], in_file, source, engine)
    # The flag's components are known and new by now: any problem left is the file's.
    check = _checked(source, lambda: check_plan(profile, in_place=[*in_file, *flagged], recommender=engine), engine)
    _answer(check, fmt, output, engine)


@app.command("tender-brief")
def tender_brief_command(
    profile: ProfileArg, fmt: FormatOpt = "json", output: OutputOpt = None, knowledge_base: KnowledgeBaseOpt = None
) -> None:
    """Draft a tender brief: clauses to write in, questions for assessing bids, the agency's commitments."""
    _check_output(fmt, output)
    engine = _recommender(knowledge_base)
    parsed = _checked(profile, lambda: parse_profile(_profile(profile)), engine)
    brief, recommendation = tender_brief_and_recommendation(parsed, recommender=engine)
    _answer(brief, fmt, output, engine, recommendation=recommendation)


@app.command("what-if")
def what_if_command(
    profile: ProfileArg,
    keep: Annotated[
        list[str] | None,
        typer.Option(
            "--keep",
            "-k",
            metavar="FIELD",
            help="A profile field to hold fixed, e.g. funding when a grant decides who pays (repeatable).",
        ),
    ] = None,
    fmt: FormatOpt = "json",
    output: OutputOpt = None,
    knowledge_base: KnowledgeBaseOpt = None,
) -> None:
    """Show which changes to the profile would change the recommendation, and the way to co-production.

    Fields named with --keep are neither varied nor changed on the way to co-production.
    """
    _check_output(fmt, output)
    engine = _recommender(knowledge_base)
    try:
        kept = checked_keep(keep or [])
    except ProfileError as exc:
        _fail_flag("--keep", exc.problems)
    parsed = _checked(profile, lambda: parse_profile(_profile(profile)), engine)
    result = what_if(parsed, recommender=engine, keep=kept)
    _answer(result, fmt, output, engine)


@app.command()
def batch(
    profiles: Annotated[
        Path, typer.Argument(metavar="PROFILES.csv", help="One profile per row; a header names the fields.")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="out.csv or out.json; standard output (CSV) when left out.")
    ] = None,
    knowledge_base: KnowledgeBaseOpt = None,
) -> None:
    """Recommend for a portfolio: one row per project in, one result per project out.

    Invalid rows are reported with their row number and field, the others still answered;
    the exit code is 1 when any row was invalid.
    """
    if output is not None and output.suffix.lower() not in (".csv", ".json"):
        _fail(f"--output {output}: must end in .csv or .json", EXIT_UNREADABLE)
    engine = _recommender(knowledge_base)
    rows = _csv_rows(profiles)
    with typer.progressbar(rows, label="Recommending", file=sys.stderr) as progress:
        answers = recommend_each((profile_data_from_text(row) for _, row in progress), recommender=engine)
    results = [(number, answer) for (number, _), answer in zip(rows, answers, strict=True)]
    as_json = output is not None and output.suffix.lower() == ".json"
    text = _batch_json(results) if as_json else _batch_csv(results, engine)
    if output is None:
        _emit(text)
    else:
        output.write_text(text, encoding="utf-8")
    failed = [(number, result) for number, result in results if isinstance(result, ProfileError)]
    for number, error in failed:
        _say(f"{profiles}: row {number}: " + "; ".join(_describe(p, engine) for p in error.problems))
    _say(
        f"{len(results) - len(failed)} of {len(results)} projects answered"
        + (f", written to {output}" if output else "")
    )
    if failed:
        raise typer.Exit(EXIT_INVALID)


# --- input ---


class _DecimalLoader(yaml.SafeLoader):
    """YAML with integers in decimal only, as a CSV cell reads them: ``012`` is 12, while ``0x12``,
    ``1_8`` and ``1:30`` stay text (and are refused for a number field, naming it)."""


_INT = "tag:yaml.org,2002:int"
_DecimalLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _INT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DecimalLoader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))


def _decimal_int(loader: yaml.SafeLoader, node: yaml.nodes.Node) -> int | str:
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    return int(text, 10) if re.fullmatch(r"[-+]?[0-9]+", text) else text


_DecimalLoader.add_constructor(_INT, _decimal_int)


def profile_data(data: Any) -> Any:
    """A profile read from a file, with its values read as a CSV row's are.

    A profile field's text or whole number goes through
    :func:`~recommender.reports.profile_data_from_text`, so ``"18"`` and ``18`` are both 18 and
    ``"yes"`` and ``1`` both true; an empty value (``null``, ``""``) means "not given", as an
    empty cell does. Anything else is left for the strict profile to refuse, naming the field.

    Example:
        >>> profile_data({"timeline_months": "18", "uses_agency_data": 1, "title": None})
        {'timeline_months': 18, 'uses_agency_data': True}
    """
    if not isinstance(data, dict):
        return data
    result: dict[Any, Any] = {}
    for name, value in data.items():
        if name not in ProjectProfile.model_fields:
            result[name] = value
        elif value is None:
            continue
        elif isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            result.update(profile_data_from_text({name: str(value)}))
        else:
            result[name] = value
    return result


def _profile(source: str) -> Any:
    """The profile data in ``source``."""
    return profile_data(_read(source))


def _checked_components(flagged: list[str], in_file: list[str], source: str, engine: Recommender) -> list[str]:
    """The components named with --in-place; an unknown or repeated one is the flag's error, not the file's."""
    known = engine.kb.components
    for index, component in enumerate(flagged):
        if component not in known:
            _fail(f"--in-place {component}: not a plan component; one of: {', '.join(known)}", EXIT_INVALID)
        if component in in_file:
            _fail(f"--in-place {component}: already in place in {_name(source)}", EXIT_INVALID)
        if component in flagged[:index]:
            _fail(f"--in-place {component}: given more than once", EXIT_INVALID)
    return flagged


def _fail_flag(flag: str, problems: list[FieldProblem]) -> NoReturn:
    """Each problem of a flag's values, blamed on the flag (``--keep payer: not a profile field``)."""
    _fail("\n".join(f"{flag} {p.value}: {p.reason}" for p in problems), EXIT_INVALID)


def _read(source: str) -> Any:
    """The parsed content of ``source`` (a path or ``-``): YAML, of which JSON is a subset."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        _fail(f"{source}: no such file", EXIT_UNREADABLE)
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{source}: cannot be read: {exc}", EXIT_UNREADABLE)
    try:
        return json.loads(text) if source.endswith(".json") else yaml.load(text, Loader=_DecimalLoader)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        kind = "JSON" if source.endswith(".json") else "YAML or JSON"
        _fail(f"{_name(source)}: not valid {kind}: {' '.join(str(exc).split())}", EXIT_UNREADABLE)


def _recommender(folder: Path | None) -> Recommender:
    """The recommender on the knowledge base in ``folder`` (``--knowledge-base``; the shipped one when
    ``None``), loaded and checked as the service loads one: one that does not load is named on
    standard error, its file and entry, and exits 1."""
    if folder is None:
        return default_recommender()
    try:
        return Recommender.from_directory(folder)
    except KnowledgeBaseError as exc:
        _fail(f"--knowledge-base {folder}: {exc}", EXIT_INVALID)


def _checked(source: str, build: Callable[[], T], engine: Recommender | None = None) -> T:
    """``build()``, or the problems its ``ProfileError`` names on standard error (each field with
    its label in ``engine``'s knowledge base, the shipped one by default), and exit 1."""
    try:
        return build()
    except ProfileError as exc:
        labels = engine or default_recommender()
        lines = [f"{_name(source)}: invalid input"] + [f"  {_describe(p, labels)}" for p in exc.problems]
        if exc.total > len(exc.problems):
            lines.append(f"  and {exc.total - len(exc.problems)} more")
        _fail("\n".join(lines), EXIT_INVALID)


def _describe(problem: FieldProblem, engine: Recommender) -> str:
    """``field (its label): reason (got value)``, with the label from the knowledge base's ``fields.yaml``."""
    field = problem.field.split(".")[-1]
    guide = engine.kb.require_field_guide()
    known = guide.fields_by_id.get(field)
    where = f"{problem.field} ({known.label})" if known else problem.field
    got = f" (got {problem.value!r})" if problem.value is not None else ""
    return f"{where}: {problem.reason}{got}"


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """``(row number in the file, row)`` for each data row; the header is row 1."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        _fail(f"{path}: no such file", EXIT_UNREADABLE)
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"{path}: cannot be read: {exc}", EXIT_UNREADABLE)
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        _fail(f"{path}: empty; the first row must name the profile fields", EXIT_UNREADABLE)
    rows = []
    for row in reader:
        extra = row.pop(None, None)
        if extra:
            row["(extra columns)"] = ",".join(extra)
        rows.append((reader.line_num, {k: v for k, v in row.items() if v is not None}))
    return rows


# --- output ---


def _check_output(fmt: AnswerFormat, output: Path | None) -> None:
    """Refuse, before any work, a binary format bound for the terminal."""
    if fmt in FORMATS and FORMATS[fmt].binary and output is None:
        _fail(
            f"--format {fmt}: a {FORMATS[fmt].label} document is a binary file; "
            f"name it with -o FILE (for example -o report.{FORMATS[fmt].extension})",
            EXIT_INVALID,
        )


def _answer(
    answer: Any,
    fmt: AnswerFormat,
    output: Path | None,
    engine: Recommender,
    recommendation: Recommendation | None = None,
) -> None:
    """``answer`` as JSON or as its report in ``fmt``, on standard output or in ``output``."""
    if fmt == "json":
        content = (answer.model_dump_json(indent=2) + "\n").encode("utf-8")
    else:
        content = render(answer, fmt, recommender=engine, recommendation=recommendation).content
    if output is None:
        _emit(content.decode("utf-8"))
        return
    try:
        output.write_bytes(content)
    except OSError as exc:
        _fail(f"--output {output}: cannot be written: {exc.strerror or exc}", EXIT_UNREADABLE)
    _say(f"Wrote {output}")


def _batch_json(results: list[tuple[int, Recommendation | ProfileError]]) -> str:
    items: list[dict[str, Any]] = []
    for number, result in results:
        if isinstance(result, ProfileError):
            errors = [{"field": p.field, "reason": p.reason, "value": p.value} for p in result.problems]
            items.append({"row": number, "errors": errors})
        else:
            items.append({"row": number, "recommendation": result.model_dump(mode="json")})
    return json.dumps(items, indent=2, ensure_ascii=False)


def _batch_csv(results: list[tuple[int, Recommendation | ProfileError]], engine: Recommender) -> str:
    modes = [mode.id for mode in engine.kb.modes]
    out = io.StringIO()
    writer = _SafeWriter(out)
    writer.writerow(
        [
            "row",
            "title",
            "initiation_mode",
            "collaboration_level",
            *(f"score_{m}" for m in modes),
            "risks",
            "mitigations",
            "errors",
        ]
    )
    for number, result in results:
        if isinstance(result, ProfileError):
            writer.writerow(
                [
                    number,
                    "",
                    "",
                    "",
                    *([""] * len(modes)),
                    "",
                    "",
                    "; ".join(f"{p.field}: {p.reason}" for p in result.problems),
                ]
            )
            continue
        scores = {ranked.mode: ranked.score for ranked in result.initiation_mode.ranking}
        writer.writerow(
            [
                number,
                result.profile.title or "",
                result.initiation_mode.recommended,
                result.collaboration_level.recommended,
                *(scores[m] for m in modes),
                " ".join(r.id for r in result.risks),
                " ".join(m.id for m in result.mitigations),
                "",
            ]
        )
    return out.getvalue()


class _SafeWriter:
    """A CSV writer none of whose cells a spreadsheet runs as a formula: every cell, not only the
    title, since an error quotes the input's column names (a header may be ``=HYPERLINK(...)``)."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, cells: list[Any]) -> None:
        self._writer.writerow([_csv_safe(cell) if isinstance(cell, str) else cell for cell in cells])


def _csv_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a leading = + - @ tab or return is quoted away)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _emit(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _name(source: str) -> str:
    return "<stdin>" if source == "-" else source


def _fail(message: str, code: int) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
