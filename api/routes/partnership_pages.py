"""The partnership pages: create a partnership, copy each partner's link, answer, and read the
status, the divergence and the history. No JavaScript is needed.

Where the tokens go: a link is ``<public URL>/partnerships/{id}[/partners/{partner}]#key=TOKEN``.
The key is in the fragment, which browsers never send to a server, so it reaches no access log
(ours, nginx's, a proxy's). The page's key field is filled from the fragment by a few lines of
script (and the fragment then removed from the address bar); without JavaScript the person
pastes the key. Every action POSTs the key in the form body, never in a URL. Every page here
answers ``Cache-Control: no-store`` and ``Referrer-Policy: no-referrer``.

A page asked for with ``?knowledge_base=VERSION`` answers with that edition, as the form's pages
do (:func:`api.pages.edition`): its form's action, its links and the links it hands out carry
the version on in their query (the key stays in the fragment), and the page names the edition.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

import recommender.partnerships as partnerships  # its services (the ORM) are imported on first use
from api.deps import RecommenderDep, SettingsDep
from api.pages import (
    PROFILE_FIELDS,
    edition,
    errors_by_field,
    field_kind,
    on_edition,
    profile_text,
    read_form,
    render_page,
)
from api.routes.partnerships import NO_LEAK_HEADERS, UowDep
from api.settings import Settings
from recommender import (
    AccessError,
    ForbiddenError,
    KnowledgeBase,
    NotFoundError,
    ProfileError,
    Recommender,
    parse_profile,
    validate_strictly,
)
from recommender.partnerships import MAX_PARTNERS, NewPartnership, UnitOfWork, changes_in_words, divergence_report
from recommender.reports import profile_data_from_text

router = APIRouter(include_in_schema=False)
#: Partner rows the creation form offers (blank rows are left out).
FORM_ROWS = 4


def _page(
    name: str,
    request: Request,
    recommender: Recommender,
    status_code: int = 200,
    *,
    addresses: Mapping[str, str] | None = None,
    chosen: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """The page ``name`` answered with ``recommender``'s knowledge base: when the request chose that
    edition (:func:`api.pages.edition`) the page names it, and each of its ``addresses`` (a form's
    action, a link: ``{name in the template: local path}``) carries it on; ``chosen``: the
    edition as :func:`api.pages.edition` gives it, when the caller has it already."""
    if chosen is None:
        chosen = edition(request, recommender)
    context |= {key: on_edition(path, chosen) for key, path in (addresses or {}).items()}
    page = render_page(name, kb=recommender.kb, chosen=bool(chosen), **context)
    return HTMLResponse(page, status_code=status_code, headers=NO_LEAK_HEADERS)


def public_base(request: Request, settings: Settings) -> str:
    """Where partners reach the service: ``PARTNERSHIP_PUBLIC_URL`` when it is an absolute URL,
    else the address of this request (its scheme from a trusted proxy only: see ``serve``)."""
    if settings.public_url.startswith(("http://", "https://")):
        return settings.public_url.rstrip("/")
    return str(request.base_url).rstrip("/")


def _access_status(exc: AccessError) -> int:
    return 404 if isinstance(exc, NotFoundError) else 403 if isinstance(exc, ForbiddenError) else 401


def _new_form(
    request: Request, recommender: Recommender, values: dict[str, Any], errors: list[str], status_code: int = 200
) -> HTMLResponse:
    return _page(
        "partnership_new.html.j2",
        request,
        recommender,
        status_code,
        addresses={"action": "/partnerships/new", "home": "/"},
        values=values,
        errors=errors,
        parties=recommender.kb.require_field_guide().parties,
    )


@router.get("/partnerships/new")
def new_partnership_page(request: Request, recommender: RecommenderDep) -> HTMLResponse:
    rows = [{"name": "", "party": "policy_agency" if i == 0 else "researchers"} for i in range(FORM_ROWS)]
    return _new_form(request, recommender, {"title": "", "partners": rows}, [])


@router.post("/partnerships/new")
async def create_partnership_page(
    request: Request, uow: UowDep, recommender: RecommenderDep, settings: SettingsDep
) -> HTMLResponse:
    form = await read_form(request, limit=settings.max_body_bytes)
    title = form.get("title", [""])[-1]
    rows = [
        {"name": n, "party": p}
        for n, p in zip(form.get("partner_name", []), form.get("partner_party", []), strict=False)
    ]
    rows = rows[:MAX_PARTNERS]
    given = [r for r in rows if r["name"].strip()]
    try:
        new = validate_strictly(NewPartnership, {"title": title, "partners": given})
    except ProfileError as exc:
        errors = [_plain(p.field, p.reason) for p in exc.problems]
        padded = rows + [{"name": "", "party": "researchers"}] * (FORM_ROWS - len(rows))
        return _new_form(request, recommender, {"title": title, "partners": padded}, errors, status_code=422)
    created = partnerships.services.create_partnership(uow, new)
    base = f"{public_base(request, settings)}/partnerships/{created.id}"
    parties = recommender.kb.require_field_guide().parties
    chosen = edition(request, recommender)
    partners = [
        {
            "id": p.id,
            "name": p.name,
            "party": parties.get(p.party, p.party),
            "link": f"{on_edition(f'{base}/partners/{p.id}', chosen)}#key={p.token}",
        }
        for p in created.partners
    ]
    owner_link = f"{on_edition(base, chosen)}#key={created.owner_token}"
    return _page(
        "partnership_created.html.j2",
        request,
        recommender,
        chosen=chosen,
        title=created.title,
        owner_link=owner_link,
        partners=partners,
    )


def _plain(field: str, reason: str) -> str:
    names = {"title": "The partnership's name", "partners": "The partners"}
    head = field.split(".")[0]
    if head == "partners" and field != "partners":
        return f"Partner {int(field.split('.')[1]) + 1}: {reason}" if field.split(".")[1].isdigit() else reason
    return f"{names.get(head, field)}: {reason}"


def _open_form(
    request: Request,
    recommender: Recommender,
    partnership_id: str,
    key_error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return _page(
        "partnership_open.html.j2",
        request,
        recommender,
        status_code,
        addresses={"action": f"/partnerships/{quote(partnership_id, safe='')}"},
        key_error=key_error,
        token=None,
    )


@router.get("/partnerships/{partnership_id}")
def open_partnership_page(partnership_id: str, request: Request, recommender: RecommenderDep) -> HTMLResponse:
    return _open_form(request, recommender, partnership_id)


@router.post("/partnerships/{partnership_id}")
async def partnership_page(
    partnership_id: str, request: Request, uow: UowDep, recommender: RecommenderDep, settings: SettingsDep
) -> HTMLResponse:
    """The status, the divergence in words, and the history, for the key posted (and, for the
    owner, the form that records an assessment)."""
    form = await read_form(request, limit=settings.max_body_bytes)
    token = form.get("token", [""])[-1].strip() or None
    try:
        return _status_page(request, uow, recommender, partnership_id, token)
    except AccessError as exc:
        return _open_form(request, recommender, partnership_id, str(exc), _access_status(exc))


@router.post("/partnerships/{partnership_id}/assessments")
async def record_assessment_page(
    partnership_id: str, request: Request, uow: UowDep, recommender: RecommenderDep, settings: SettingsDep
) -> HTMLResponse:
    """Record the owner's agreed view as an assessment and show the status page with it in the
    history; or the status page again, nothing recorded, with each problem beside its field (422)
    or, for a form shown before the last assessment was recorded (posted again), saying so (409)."""
    form = await read_form(request, limit=settings.max_body_bytes)
    token, values = _profile_form(form)
    services = partnerships.services
    try:
        services.check_owner(uow, partnership_id, token)  # a key not the owner's is told first
        try:
            profile = parse_profile(profile_data_from_text(values))
        except ProfileError as exc:
            problems = errors_by_field(exc.problems)
            return _status_page(request, uow, recommender, partnership_id, token, values, problems, status_code=422)
        # The form says how many assessments it was shown after: posted again (the page reloaded),
        # or after another was recorded meanwhile, it records nothing.
        shown_after = form.get("after", [""])[-1]
        recorded = len(services.list_assessments(uow, partnership_id, token).assessments)
        if shown_after != str(recorded):
            notice = f"Nothing was recorded: the history holds {recorded} assessment(s) since this form was shown."
            return _status_page(request, uow, recommender, partnership_id, token, notice=notice, status_code=409)
        made = services.record_assessment(uow, partnership_id, token, profile, recommender)
        notice = f"Assessment {made.number} is recorded: it is the last in the history below."
        return _status_page(request, uow, recommender, partnership_id, token, notice=notice)
    except AccessError as exc:
        return _open_form(request, recommender, partnership_id, str(exc), _access_status(exc))


def _profile_form(form: Mapping[str, list[str]]) -> tuple[str | None, dict[str, str]]:
    """The key posted and the profile's answers as typed (a checkbox left unticked: ``false``)."""
    token = form.get("token", [""])[-1].strip() or None
    values = profile_text(form)
    values |= {name: values.get(name, "false") for name in PROFILE_FIELDS if field_kind(name) == "checkbox"}
    return token, values


def _form_fields(kb: KnowledgeBase) -> dict[str, Any]:
    """What ``_profile_fields.html.j2`` and ``_profile_errors.html.j2`` need of ``kb``'s field guide."""
    guide = kb.require_field_guide()
    return {
        "fields": [(f, field_kind(f.id)) for f in guide.fields if f.id in PROFILE_FIELDS],
        "labels": {f.id: f.label for f in guide.fields},
    }


def _status_page(
    request: Request,
    uow: UnitOfWork,
    recommender: Recommender,
    partnership_id: str,
    token: str | None,
    values: Mapping[str, Any] | None = None,
    errors: Mapping[str, list[str]] | None = None,
    *,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The status page ``token`` opens (an :class:`AccessError` when it opens none); the owner's
    has the form recording an assessment, showing ``values`` and ``errors`` when given, else the
    last assessment's profile, else (every partner having answered alike) their answers, else the
    defaults."""
    kb = recommender.kb
    services = partnerships.services
    view = services.get_partnership(uow, partnership_id, token, recommender)
    assessments = services.list_assessments(uow, partnership_id, token).assessments
    reruns = {
        a.number: services.rerun_assessment(uow, partnership_id, a.number, token, recommender)
        for a in assessments
        if a.knowledge_base.digest != kb.digest
    }
    owner = services.opens_as_owner(uow, partnership_id, token)
    modes = {m.id: m.title for m in kb.modes}
    levels = {lv.id: lv.title for lv in kb.levels}
    history = [
        {
            "number": a.number,
            "when": a.created_at.strftime("%d %B %Y, %H:%M UTC"),
            "version": a.knowledge_base.version,
            "initiation": modes.get(a.recommendation["initiation_mode"]["recommended"], "?"),
            "level": levels.get(a.recommendation["collaboration_level"]["recommended"], "?"),
            "changes": changes_in_words(kb, a.changes) if a.changes else [],
            "rerun": changes_in_words(kb, reruns[a.number].changes) if a.number in reruns else [],
        }
        for a in assessments
    ]
    guide = kb.require_field_guide()
    if values is None and owner:
        if assessments:
            values = assessments[-1].profile
        elif view.divergence is not None and not view.divergence.fields:
            values = services.read_answers(uow, partnership_id, view.partners[0].id, token).profile
        else:
            values = guide.default_values()
    return _page(
        "partnership_status.html.j2",
        request,
        recommender,
        status_code,
        addresses={"record_action": f"/partnerships/{quote(partnership_id, safe='')}/assessments"},
        view=view,
        report=divergence_report(view, kb),
        parties=guide.parties,
        history=history,
        current_version=kb.version,
        owner=owner,
        after=len(assessments),
        notice=notice,
        token=token if owner else None,
        **_form_fields(kb),
        values=values or {},
        errors=errors or {},
        key_error=None,
    )


def _answer_form(
    request: Request,
    recommender: Recommender,
    partnership_id: str,
    partner_id: str,
    *,
    values: dict[str, Any],
    ticked: list[str],
    errors: dict[str, list[str]],
    key_error: str | None = None,
    token: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return _page(
        "partnership_answer.html.j2",
        request,
        recommender,
        status_code,
        addresses={"action": f"/partnerships/{quote(partnership_id, safe='')}/partners/{quote(partner_id, safe='')}"},
        partner_name=None,
        **_form_fields(recommender.kb),
        values=values,
        ticked=set(ticked),
        components=list(recommender.kb.components.values()),
        errors=errors,
        key_error=key_error,
        token=token,
    )


@router.get("/partnerships/{partnership_id}/partners/{partner_id}")
def answer_page(partnership_id: str, partner_id: str, request: Request, recommender: RecommenderDep) -> HTMLResponse:
    defaults = recommender.kb.require_field_guide().default_values()
    return _answer_form(request, recommender, partnership_id, partner_id, values=defaults, ticked=[], errors={})


@router.post("/partnerships/{partnership_id}/partners/{partner_id}")
async def submit_answer_page(
    partnership_id: str,
    partner_id: str,
    request: Request,
    uow: UowDep,
    recommender: RecommenderDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """Store the partner's answers from the form, or show the form again with each problem."""
    form = await read_form(request, limit=settings.max_body_bytes)
    token, values = _profile_form(form)
    ticked = form.get("in_place", [])
    problems: dict[str, list[str]] = {}
    key_error, status_code = None, 422
    try:
        data: dict[str, Any] = dict(profile_data_from_text(values))
        data["in_place"] = ticked
        profile, in_place = partnerships.services.parse_answers(data, recommender)
        saved = partnerships.services.submit_answers(uow, partnership_id, partner_id, token, profile, in_place)
    except ProfileError as exc:
        problems = errors_by_field(exc.problems)
    except AccessError as exc:
        key_error, status_code, token = str(exc), _access_status(exc), None
    else:
        return _page("partnership_saved.html.j2", request, recommender, revision=saved.revision)
    return _answer_form(
        request,
        recommender,
        partnership_id,
        partner_id,
        values=values,
        ticked=ticked,
        errors=problems,
        key_error=key_error,
        token=token,
        status_code=status_code,
    )
