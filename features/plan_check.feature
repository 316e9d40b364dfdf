Feature: Check a partnership plan before it goes in
  Researchers checking a grant plan, or an agency reviewing a proposal, say which components
  of a partnership plan are already in place. The check says how serious each gap is for this
  project, which risks it leaves open, what to add, and how ready the plan is.

  Scenario: A researcher-initiated plan that uses agency data and has no data access agreement gets a critical gap
    Given a project profile
      | project_type        | data_analysis  |
      | timeline_months     | 18             |
      | funding             | external_grant |
      | relationship        | prior_project  |
      | staff_stability     | moderate       |
      | proposed_initiation | researcher     |
      | uses_agency_data    | true           |
    And a plan with these components in place
      | aims_in_writing    |
      | dated_deliverables |
      | adequate_budget    |
    When the plan is checked
    Then the gap "data_access_agreement" is critical
    And the gap "data_access_agreement" leaves the risk "researchers.resources_not_delivered" open
    And the check says to add "data_access_agreement"
    And the readiness band is "concern"
    And every gap cites findings that exist

  Scenario: Without agency data a missing data access agreement is a minor gap
    Given a project profile
      | project_type        | data_analysis  |
      | timeline_months     | 18             |
      | funding             | external_grant |
      | relationship        | prior_project  |
      | staff_stability     | moderate       |
      | proposed_initiation | researcher     |
      | uses_agency_data    | false          |
    And a plan with these components in place
      | aims_in_writing    |
    When the plan is checked
    Then the gap "data_access_agreement" is low

  Scenario: A missing publication policy matters most when researchers initiate and agency staff contribute
    Given a project profile
      | project_type        | evaluation     |
      | timeline_months     | 18             |
      | funding             | external_grant |
      | relationship        | prior_project  |
      | staff_stability     | moderate       |
      | proposed_initiation | researcher     |
    And a plan with no components in place
    When the plan is checked
    Then the gap "publication_policy" is critical
    And the gap "publication_policy" is raised because researchers lead and agency staff contribute

  Scenario: The same gap is less serious when the agency initiates the work
    Given a project profile
      | project_type        | evaluation          |
      | timeline_months     | 18                  |
      | funding             | agency_commissioned |
      | relationship        | prior_project       |
      | staff_stability     | moderate            |
      | proposed_initiation | agency              |
    And a plan with no components in place
    When the plan is checked
    Then the gap "publication_policy" is medium

  Scenario: An unfunded project cannot go ahead without a budget
    Given a project profile
      | project_type    | evidence_review |
      | timeline_months | 6               |
      | funding         | unfunded        |
      | relationship    | long_term       |
      | staff_stability | high            |
    And a plan with no components in place
    When the plan is checked
    Then the gap "adequate_budget" is critical

  Scenario: A plan with every component in place is strong
    Given a project profile
      | project_type    | evaluation |
      | timeline_months | 24         |
      | funding         | co_funded  |
      | relationship    | long_term  |
      | staff_stability | high       |
    And a plan with every component in place
    When the plan is checked
    Then the plan has no gaps
    And the readiness score is 100
    And the readiness band is "strong"

  Scenario: The readiness score shows how it was computed
    Given a project profile
      | project_type    | implementation      |
      | timeline_months | 10                  |
      | funding         | agency_commissioned |
      | relationship    | none                |
      | staff_stability | low                 |
    And a plan with these components in place
      | aims_in_writing      |
      | governance_agreement |
      | meeting_cadence      |
    When the plan is checked
    Then the readiness score is the weight in place over the total weight, as a percentage
    And the readiness band follows the thresholds and caps it reports

  Scenario: A component the check does not know is rejected, naming the field
    Given a project profile
      | project_type    | evaluation |
      | timeline_months | 12         |
      | funding         | co_funded  |
      | relationship    | long_term  |
      | staff_stability | high       |
    And a plan with these components in place
      | aims_in_writing |
      | mou             |
    When the plan is checked
    Then the check is rejected for the field "plan.in_place[1]"

  Scenario Outline: The plan check works on every project type
    Given a project profile
      | project_type    | <project_type> |
      | timeline_months | 9              |
      | funding         | external_grant |
      | relationship    | prior_project  |
      | staff_stability | moderate       |
    And a plan with these components in place
      | aims_in_writing |
    When the plan is checked
    Then every component is reported in place or missing
    And every gap cites findings that exist

    Examples:
      | project_type    |
      | evidence_review |
      | data_analysis   |
      | evaluation      |
      | implementation  |
      | intervention    |
