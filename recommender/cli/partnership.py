"""``partnership-recommender partnership ...``: the partnership routes from a terminal, on the same
services and the same database settings as the service (``PARTNERSHIP_DATABASE_URL``, else the
SQLite file in ``PARTNERSHIP_DATA_DIR``).

Tokens: ``create`` prints every token once (they are stored only as hashes). The other commands
take the token from ``PARTNERSHIP_TOKEN`` or ask for it without echoing it, so it stays out of
the shell's history and the process list.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from pydantic import BaseModel

from recommender.cli import app
from recommender.cli.reports import EXIT_INVALID, _checked, _fail, _read
from recommender.errors import AccessError, StorageError

if TYPE_CHECKING:
    from recommender.partnerships.unit_of_work import SqlAlchemyUnitOfWork

EXIT_REFUSED = 3

partnership_app = typer.Typer(no_args_is_help=True, help="Stored partnerships: create, answer, compare, assess.")
app.add_typer(partnership_app, name="partnership")

Token = Annotated[
    str,
    typer.Option(
        envvar="PARTNERSHIP_TOKEN",
        prompt="Token",
        hide_input=True,
        show_default=False,
        help="The owner's or a partner's token (default: PARTNERSHIP_TOKEN, else asked for).",
    ),
]
PartnershipId = Annotated[str, typer.Argument(help="The partnership's id.")]


@contextlib.contextmanager
def _unit_of_work() -> Iterator[SqlAlchemyUnitOfWork]:
    """A unit of work on the configured database (migrated on first use, as the service does)."""
    from recommender.partnerships import database
    from recommender.partnerships.unit_of_work import SqlAlchemyUnitOfWork

    settings = database.StorageSettings()
    try:
        engine = database.open_database(database.database_url(settings.database_url, settings.data_dir))
    except StorageError as exc:
        _fail(str(exc), EXIT_REFUSED)
    try:
        yield SqlAlchemyUnitOfWork(engine)
    except (AccessError, StorageError) as exc:
        _fail(str(exc), EXIT_REFUSED)
    finally:
        engine.dispose()


def _print(view: BaseModel) -> None:
    typer.echo(view.model_dump_json(indent=2))


@partnership_app.command()
def create(
    title: Annotated[str, typer.Argument(help="The partnership's title.")],
    partner: Annotated[
        list[str], typer.Option("--partner", "-p", help='A partner as "NAME=PARTY" (policy_agency or researchers).')
    ],
) -> None:
    """Store a partnership with 2 to 10 partners; prints the owner's and each partner's token, once."""
    from recommender.partnerships import services
    from recommender.partnerships.views import NewPartnership
    from recommender.profile import validate_strictly

    partners = []
    for given in partner:
        name, sep, party = given.rpartition("=")
        if not sep:
            _fail(f'--partner {given}: write it as "NAME=PARTY"', EXIT_INVALID)
        partners.append({"name": name, "party": party})
    new = _checked("--partner", lambda: validate_strictly(NewPartnership, {"title": title, "partners": partners}))
    with _unit_of_work() as uow:
        _print(services.create_partnership(uow, new))
    typer.echo("These tokens are shown only this once: give each partner its own.", err=True)


@partnership_app.command()
def show(partnership_id: PartnershipId, token: Token) -> None:
    """Who has answered, and (once all have) where their views diverge."""
    from recommender import default_recommender
    from recommender.partnerships import services

    with _unit_of_work() as uow:
        _print(services.get_partnership(uow, partnership_id, token, default_recommender()))


@partnership_app.command()
def submit(
    partnership_id: PartnershipId,
    partner_id: Annotated[str, typer.Argument(help="Your partner id.")],
    answers: Annotated[
        str, typer.Argument(help='Your view: a profile file (JSON/YAML, "-" for stdin), optionally with in_place.')
    ],
    token: Token,
) -> None:
    """Store this partner's view of the project profile as a new revision."""
    from recommender import default_recommender
    from recommender.partnerships import services

    data = _read(answers)
    profile, in_place = _checked(answers, lambda: services.parse_answers(data, default_recommender()))
    with _unit_of_work() as uow:
        _print(services.submit_answers(uow, partnership_id, partner_id, token, profile, in_place))


@partnership_app.command()
def divergence(
    partnership_id: PartnershipId,
    token: Token,
    format: Annotated[Literal["json", "markdown"], typer.Option(help="json or markdown.")] = "json",
) -> None:
    """Where the partners' views diverge, once every partner has answered."""
    from recommender import default_recommender
    from recommender.partnerships import services
    from recommender.partnerships.report import divergence_markdown, divergence_report

    recommender = default_recommender()
    with _unit_of_work() as uow:
        view = services.get_divergence(uow, partnership_id, token, recommender)
    if format == "json":
        assert view.divergence is not None
        _print(view.divergence)
        return
    report = divergence_report(view, recommender.kb)
    assert report is not None
    typer.echo(divergence_markdown(report, recommender.kb), nl=False)


@partnership_app.command()
def assess(
    partnership_id: PartnershipId,
    profile_file: Annotated[str, typer.Argument(help='The agreed profile (JSON/YAML, "-" for stdin).')],
    token: Token,
) -> None:
    """Record an assessment on the agreed profile (the owner only)."""
    from recommender import default_recommender, parse_profile
    from recommender.partnerships import services

    data = _read(profile_file)
    profile = _checked(profile_file, lambda: parse_profile(data))
    with _unit_of_work() as uow:
        _print(services.record_assessment(uow, partnership_id, token, profile, default_recommender()))


@partnership_app.command()
def history(partnership_id: PartnershipId, token: Token) -> None:
    """Every assessment, oldest first, each with what changed since the one before."""
    from recommender.partnerships import services

    with _unit_of_work() as uow:
        _print(services.list_assessments(uow, partnership_id, token))


@partnership_app.command()
def rerun(
    partnership_id: PartnershipId,
    number: Annotated[int, typer.Argument(min=1, help="The assessment's number.")],
    token: Token,
) -> None:
    """What the current knowledge base advises on an assessment's profile (nothing is stored)."""
    from recommender import default_recommender
    from recommender.partnerships import services

    with _unit_of_work() as uow:
        _print(services.rerun_assessment(uow, partnership_id, number, token, default_recommender()))


@partnership_app.command()
def delete(partnership_id: PartnershipId, token: Token) -> None:
    """Delete the partnership and everything about it (the owner only)."""
    from recommender.partnerships import services

    with _unit_of_work() as uow:
        services.delete_partnership(uow, partnership_id, token)
    typer.echo(f"deleted partnership {partnership_id}")
