"""The web form for policy officers and researchers: answer plain-language questions, get the report.

``GET /`` shows the form (every label and explanation comes from ``rules/fields.yaml``);
``POST /`` checks the answers and redirects to the report, or shows the form again with each
problem beside its field. The reports live at ``GET /report``, ``/plan-check/report``,
``/tender-brief`` and ``/what-if``, addressed by the profile in the query string so they can be
bookmarked, shared and printed, with links to the same report as Markdown and JSON. No JavaScript.

A page asked for with ``?knowledge_base=VERSION`` answers with that edition, and its form's
action and every link to the next page carry the version on, so that the whole journey stays on
the edition chosen (:func:`api.pages.edition`); each page names the edition that answers.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from api.deps import RecommenderDep, SettingsDep
from api.negotiation import report_response
from api.pages import (
    edition,
    errors_by_field,
    field_kind,
    on_edition,
    profile_query,
    profile_text,
    query_values,
    read_form,
    render_page,
)
from recommender import (
    AnswerFormat,
    ProfileError,
    ProjectProfile,
    Recommender,
    check_plan,
    parse_profile,
    render,
    tender_brief_and_recommendation,
    visible,
    what_if,
)
from recommender.reports import FORMATS, FieldGuide, Rendered, profile_data_from_text

router = APIRouter(include_in_schema=False)

PageFormat = Annotated[AnswerFormat, Query(description="html (default), md, docx, pdf or json.")]
NEXT_PAGES = {"recommendation": "/report", "plan-check": "/plan-check", "tender-brief": "/tender-brief"}


@router.get("/", response_class=HTMLResponse)
def form(request: Request, recommender: RecommenderDep) -> HTMLResponse:
    """The form, empty (or with the answers in the query string, to change them): it answers nothing for the person."""
    return _form_page(request, recommender, profile_text(query_values(request)), {})


@router.post("/", response_class=HTMLResponse)
async def submit(request: Request, recommender: RecommenderDep, settings: SettingsDep) -> Response:
    """Check the answers; on success go to the page the person asked for, else show the problems."""
    submitted = await read_form(request, limit=settings.max_body_bytes)
    # What the person left unanswered is not sent (an unticked box, an empty field, "not sure"): an
    # optional field keeps the knowledge base's default, and the answer says it was assumed; a
    # required one is named as an error.
    values = profile_text(submitted)
    try:
        profile = parse_profile(profile_data_from_text(values))
    except ProfileError as exc:
        return _form_page(request, recommender, values, errors_by_field(exc.problems), status_code=422)
    target = NEXT_PAGES.get(submitted.get("next", ["recommendation"])[-1], "/report")
    return RedirectResponse(f"{target}?{profile_query(profile, **edition(request, recommender))}", status_code=303)


@router.get("/report")
def recommendation_report(request: Request, recommender: RecommenderDep, format: PageFormat = "html") -> Response:
    """The recommendation for the profile in the query string."""
    profile = _profile_or_form(request, recommender)
    if not isinstance(profile, ProjectProfile):
        return profile
    rec = recommender.recommend(profile)
    if format == "json":
        return JSONResponse(rec.model_dump(mode="json"))
    links = _links(profile, "/report", edition(request, recommender))
    return _report(format, render(rec, format, recommender=recommender, links=links))


@router.get("/tender-brief")
def tender_brief_report(request: Request, recommender: RecommenderDep, format: PageFormat = "html") -> Response:
    """The tender brief for the profile in the query string."""
    profile = _profile_or_form(request, recommender)
    if not isinstance(profile, ProjectProfile):
        return profile
    brief, rec = tender_brief_and_recommendation(profile, recommender=recommender)
    if format == "json":
        return JSONResponse(brief.model_dump(mode="json"))
    links = _links(profile, "/tender-brief", edition(request, recommender))
    return _report(format, render(brief, format, recommender=recommender, recommendation=rec, links=links))


@router.get("/what-if")
def what_if_report(request: Request, recommender: RecommenderDep, format: PageFormat = "html") -> Response:
    """Which answers, if different, would change the recommendation for the profile in the query string."""
    profile = _profile_or_form(request, recommender)
    if not isinstance(profile, ProjectProfile):
        return profile
    result = what_if(profile, recommender=recommender)
    if format == "json":
        return JSONResponse(result.model_dump(mode="json"))
    links = _links(profile, "/what-if", edition(request, recommender))
    return _report(format, render(result, format, recommender=recommender, links=links))


@router.get("/plan-check", response_class=HTMLResponse)
def plan_check_form(request: Request, recommender: RecommenderDep) -> Response:
    """The plan's components to tick, for the profile in the query string."""
    profile = _profile_or_form(request, recommender)
    if not isinstance(profile, ProjectProfile):
        return profile
    guide = recommender.kb.require_field_guide()
    chosen = edition(request, recommender)
    page = render_page(
        "plan_check_form.html.j2",
        kb=recommender.kb,
        chosen=bool(chosen),
        profile=profile,
        hidden=parse_qsl(profile_query(profile, **chosen)),
        components=list(recommender.kb.components.values()),
        kinds=guide.mitigation_kinds,
        ticked=set(query_values(request).get("in_place", [])),
        change_link=f"/?{profile_query(profile, **chosen)}",
    )
    return HTMLResponse(page)


@router.get("/plan-check/report")
def plan_check_report(request: Request, recommender: RecommenderDep, format: PageFormat = "html") -> Response:
    """The plan check for the profile and the ticked components in the query string."""
    profile = _profile_or_form(request, recommender)
    if not isinstance(profile, ProjectProfile):
        return profile
    in_place = query_values(request).get("in_place", [])
    # An id no checkbox offers comes from a crafted address: its ProfileError is answered as a problem.
    check = check_plan(profile, in_place=in_place, recommender=recommender)
    if format == "json":
        return JSONResponse(check.model_dump(mode="json"))
    chosen = edition(request, recommender)
    links = _links(profile, "/plan-check/report", chosen, in_place=in_place)
    links["Change the components"] = f"/plan-check?{profile_query(profile, in_place=in_place, **chosen)}"
    return _report(format, render(check, format, recommender=recommender, links=links))


def _profile_or_form(request: Request, recommender: Recommender) -> ProjectProfile | HTMLResponse:
    """The profile the query string spells, or the form showing what is wrong with it."""
    values = profile_text(query_values(request))
    try:
        return parse_profile(profile_data_from_text(values))
    except ProfileError as exc:
        return _form_page(request, recommender, values, errors_by_field(exc.problems), status_code=422)


def _form_page(
    request: Request,
    recommender: Recommender,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    status_code: int = 200,
) -> HTMLResponse:
    guide = recommender.kb.require_field_guide()
    fields = [
        (field, field_kind(field.id), ProjectProfile.model_fields[field.id].is_required(), _default_label(field))
        for field in guide.fields
    ]
    # Answers are shown again as typed, but a refused control character is shown as its escape.
    values = {name: visible(value) if isinstance(value, str) else value for name, value in values.items()}
    plain = {field.id: f"{field.label}: {field.error}" for field in guide.fields}
    summary = [(name, plain.get(name), "; ".join(reasons)) for name, reasons in errors.items()]
    chosen = edition(request, recommender)
    page = render_page(
        "form.html.j2",
        kb=recommender.kb,
        chosen=bool(chosen),
        action=on_edition("/", chosen),
        partnerships=on_edition("/partnerships/new", chosen),
        fields=fields,
        values=values,
        errors=errors,
        summary=summary,
    )
    return HTMLResponse(page, status_code=status_code)


def _default_label(field: FieldGuide) -> str:
    """The label of an optional choice's "leave it to the default" option."""
    default = ProjectProfile.model_fields[field.id].default
    if default is None:
        return "Not decided yet"
    return f"Not sure (the tool then assumes: {field.value_label(default)})"


def _links(profile: ProjectProfile, path: str, chosen: dict[str, str], **extra: str | list[str]) -> dict[str, str]:
    """The report's links, each on the edition ``chosen`` for the report (:func:`api.pages.edition`):
    change the answers, the same report in every other format, the other pages."""
    here = {**extra, **chosen}
    downloads = {f.label: f"{path}?{profile_query(profile, **here, format=f.name)}" for f in FORMATS.values()}
    query = profile_query(profile, **chosen)
    links = {
        "Change your answers": f"/?{query}",
        **{label: href for label, href in downloads.items() if label != FORMATS["html"].label},
        "JSON": f"{path}?{profile_query(profile, **here, format='json')}",
        "Recommendation": f"/report?{query}",
        "Check a plan": f"/plan-check?{query}",
        "Tender brief": f"/tender-brief?{query}",
        "What could change it": f"/what-if?{query}",
    }
    own = {
        "/report": "Recommendation",
        "/tender-brief": "Tender brief",
        "/plan-check/report": "Check a plan",
        "/what-if": "What could change it",
    }[path]
    return {label: href for label, href in links.items() if label != own}


def _report(fmt: str, rendered: Rendered) -> Response:
    """The report as the reports' one registry wrote it."""
    return report_response(rendered)
